## A stage with --in and --out in one queue database hands each line off in one transaction:
## after SIGTERM every input is either still queued or its result is in the output topic, once.
. "$M2G_SRC/tests/cli/common.sh"
jobs 5000 j | m2g-queue put q.db -t in --sync normal
m2g-teststage --in sqlite:q.db#in --out sqlite:q.db#out --delay-ms 1 &
pid=$!
track $pid
wait_for 30 sh -c 'm2g-queue stat q.db --json | grep -q "\"ready\":5000,\"topic\":\"out\""'
kill -TERM $pid
code=0; wait $pid || code=$?
[ "$code" = 0 ] || fail "SIGTERM exit $code"
m2g-queue take q.db -t out > out.jsonl
python3 - <<'PY' || exit 1
import json
ids=[json.loads(l)["id"] for l in open("out.jsonl")]
assert len(ids)==5000 and len(set(ids))==5000, (len(ids), len(set(ids)))
assert all(json.loads(l)["kind"]=="result" for l in open("out.jsonl"))
PY
m2g-queue stat q.db --json | grep '"topic":"in"' && fail "inputs left in the queue" || true
