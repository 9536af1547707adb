## A poller restarted again and again (pipe output, --once, small batches) emits every update
## exactly once across runs: the stored offset is where the next run starts.
. "$M2G_SRC/tests/cli/common.sh"
. "$M2G_SRC/tests/cli/m2g-poll/fake.inc"
start_fake
control bulk '{"count":250,"prefix":"a"}' > /dev/null
: > out.jsonl
for _ in 1 2 3; do
  poll --once --limit 40 --state state.db >> out.jsonl
done
[ "$(n_lines out.jsonl)" = 120 ] || fail "3 runs of 40 should give 120 lines, got $(n_lines out.jsonl)"
control bulk '{"count":30,"prefix":"b"}' > /dev/null
for _ in $(seq 1 6); do
  poll --once --limit 40 --state state.db >> out.jsonl
done
# Everything is out; another run finds nothing (and exits 0 at once).
poll --once --state state.db > last.jsonl
[ ! -s last.jsonl ] || fail "a run after the end printed lines"
python3 - <<'PY' || fail "duplicates or gaps"
import json
ids = [json.loads(l)["update_id"] for l in open("out.jsonl")]
assert ids == list(range(1, 281)), (len(ids), ids[:5], ids[-5:])
PY
