## kill -9 of the poller at random moments while 5,000 messages arrive (SQLite queue as
## output) leaves every message in the queue exactly once: lines and offset are one commit.
. "$M2G_SRC/tests/cli/common.sh"
. "$M2G_SRC/tests/cli/m2g-poll/fake.inc"
# Small batches and a slow getUpdates stretch ingestion so the kills land mid-stream.
start_fake --latency getUpdates=15ms
control bulk '{"count":2500,"prefix":"first"}' > /dev/null
kills=0
for round in $(seq 1 40); do
  poll --limit 25 --timeout 1 --sync normal --out "sqlite:q.db#updates" 2>> err.txt &
  pid=$!
  sleep "0.$((RANDOM % 3))$((RANDOM % 10))"
  kill -9 $pid 2>/dev/null && kills=$((kills + 1))
  wait $pid 2>/dev/null || true
  [ "$round" = 10 ] && control bulk '{"count":2500,"prefix":"second"}' > /dev/null
  [ -f q.db ] && [ "$(queue_count q.db updates)" -ge 5000 ] && break
done
# A last, clean run picks up whatever the killed ones left.
poll --limit 100 --timeout 1 --out "sqlite:q.db#updates" 2>> err.txt &
pid=$!
track $pid
all_in() { [ "$(queue_count q.db updates)" -ge 5000 ]; }
wait_for 60 all_in
sleep 0.5
kill -TERM $pid
wait $pid || fail "SIGTERM should exit 0"
[ "$kills" -ge 3 ] || fail "only $kills kills landed; the test proved nothing"
python3 - <<'PY' || fail "not exactly once"
import json, sqlite3
rows = sqlite3.connect("q.db").execute("select line from m2g_queue where topic='updates' order by id").fetchall()
ids = [json.loads(r[0])["update_id"] for r in rows]
assert len(ids) == 5000, ("lines", len(ids))
assert sorted(ids) == list(range(1, 5001)), "missing or duplicate update_ids"
texts = [json.loads(r[0])["text"] for r in rows]
assert texts[0] == "first 1" and texts[-1] == "second 2500", (texts[0], texts[-1])
PY
echo "kills: $kills" >&2
