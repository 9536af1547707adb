## kill -9 in the middle of batches with a SQLite queue as input: after a restart every job is in the
## repository exactly once, and every job has its result in the output topic.
. "$M2G_SRC/tests/cli/common.sh"
. "$M2G_SRC/tests/cli/m2g-commit/lib.bash"
new_remote remote.git
note_jobs 3000 1 | m2g-queue put q.db -t jobs
m2g-commit --remote ./remote.git --in sqlite:q.db#jobs --out sqlite:q.db#done --in-lease 1 --batch-max 50 \
  --batch-ms 0 2> err1.txt &
pid=$!
track $pid
sleep "0.$((RANDOM % 6 + 2))"
kill -9 $pid
wait $pid 2>/dev/null || true
# A restart takes what was left, and what the dead process had leased once its lease runs out.
# Its own leases are long, so that a slow (sanitized, loaded) run never sees its own jobs taken again.
m2g-commit --remote ./remote.git --in sqlite:q.db#jobs --out sqlite:q.db#done --in-lease 600 --batch-max 50 \
  --batch-ms 0 2> err2.txt &
pid=$!
track $pid
ready() { m2g-queue stat --json q.db | python3 -c '
import json, sys
rows = [json.loads(l) for l in sys.stdin if json.loads(l)["topic"] == "jobs"]
sys.exit(0 if not rows or rows[0]["ready"] + rows[0]["leased"] + rows[0]["dead"] == 0 else 1)'; }
wait_for 120 ready
kill -TERM $pid
wait $pid || fail "restart did not exit 0"
check_once remote.git note.md 3000
m2g-queue take q.db -t "done" > done.jsonl
python3 - <<'PY' || fail "results"
import json
ids = {json.loads(l)["id"] for l in open("done.jsonl") if json.loads(l)["kind"] == "result"}
assert len(ids) == 3000, len(ids)
PY
git -C remote.git fsck --strict --no-progress --no-dangling || fail "git fsck"
