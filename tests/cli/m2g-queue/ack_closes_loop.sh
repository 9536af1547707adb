## take | (stage answering with results) | ack deletes exactly the answered entries; errors are released.
. "$M2G_SRC/tests/cli/common.sh"
jobs 10 j | m2g-queue put q.db -t work
m2g-queue take q.db -t work \
  | python3 -c 'import json,sys
for l in sys.stdin:
    v=json.loads(l)
    n=int(v["id"][1:])
    v["kind"]="error" if n==3 else ("progress" if n==4 else "result")
    print(json.dumps(v))' \
  | m2g-queue ack q.db -t work
m2g-queue stat q.db --json > stat.jsonl
python3 - <<'PY'
import json
s=[json.loads(l) for l in open("stat.jsonl")][0]
assert s["ready"]==1 and s["leased"]==1, s   # j3 released (error), j4 still leased (progress only)
PY
m2g-queue take q.db -t work > left.jsonl
[ "$(json_field left.jsonl id)" = j3 ] || fail "the errored line should be ready again"
