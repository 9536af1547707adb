## A stage reading a queue and writing to a pipe acknowledges what reached the pipe in its next
## take's transaction: every line comes out once, and after SIGTERM the input topic is empty.
. "$M2G_SRC/tests/cli/common.sh"
jobs 3000 j | m2g-queue put q.db -t in --sync normal
m2g-teststage --in sqlite:q.db#in --out - --log-level debug > out.jsonl 2> err.log &
pid=$!
track $pid
wait_for 30 sh -c '[ "$(wc -l < out.jsonl)" -ge 3000 ]'
kill -TERM $pid
code=0; wait $pid || code=$?
[ "$code" = 0 ] || fail "SIGTERM exit $code: $(cat err.log)"
python3 - <<'PY' || exit 1
import json
ids=[json.loads(l)["id"] for l in open("out.jsonl")]
assert len(ids)==3000 and len(set(ids))==3000, (len(ids), len(set(ids)))
PY
m2g-queue stat q.db --json | grep '"topic":"in"' && fail "inputs left in the queue: $(m2g-queue stat q.db)" || true
# 3,000 lines are six full takes of 512: the acknowledgements of each rode on the next one.
grep -Eq 'takes \([0-9]+ found nothing, [1-9][0-9]* with acknowledgements\)' err.log ||
  fail "no take carried acknowledgements: $(grep 'queue:' err.log)"
