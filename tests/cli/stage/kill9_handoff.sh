## kill -9 of a stage between two queue topics of one database, at a random moment, loses and
## duplicates nothing: each input is either still queued or its result is in the output topic.
. "$M2G_SRC/tests/cli/common.sh"
jobs 20000 j | m2g-queue put q.db -t in --sync normal
m2g-teststage --in sqlite:q.db#in --out sqlite:q.db#out --sync normal --in-lease 1 &
pid=$!
track $pid
sleep "0.$((RANDOM % 5 + 1))"
kill -9 $pid
wait $pid 2>/dev/null || true
m2g-queue take q.db -t in --lease 1 > left.jsonl
m2g-queue take q.db -t out > out.jsonl
python3 - <<'PY' || fail "handoff not exactly once"
import json
left=[json.loads(l)["id"] for l in open("left.jsonl")]
done=[json.loads(l)["id"] for l in open("out.jsonl")]
# Lines the stage had taken but not finished are leased, not lost: they come back after the lease.
print("left", len(left), "done", len(done))
assert len(done)==len(set(done)), "duplicate results"
assert not set(left) & set(done), "an input is both queued and answered"
assert len(left)+len(done) <= 20000
PY
# The stage's unfinished leases expire; then every line is accounted for exactly once.
sleep 1.1
m2g-queue take q.db -t in >> left.jsonl
python3 - <<'PY' || fail "lines lost"
import json
left={json.loads(l)["id"] for l in open("left.jsonl")}
done={json.loads(l)["id"] for l in open("out.jsonl")}
assert len(left|done)==20000 and not left&done, (len(left), len(done))
PY
