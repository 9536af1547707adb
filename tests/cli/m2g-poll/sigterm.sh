## SIGTERM while a long poll is held exits 0 at once without waiting for the poll; the
## abandoned poll confirmed nothing, so the next run still gets the update. SIGINT exits 130.
## Waiting in a long poll costs no CPU.
. "$M2G_SRC/tests/cli/common.sh"
. "$M2G_SRC/tests/cli/m2g-poll/fake.inc"
start_fake
poll --timeout 50 --out "sqlite:q.db#updates" 2> err.txt &
pid=$!
track $pid
wait_for 10 sh -c '[ "$(curl -sf '"$FAKE_URL"'/control/stats | python3 -c "import json,sys; print(json.load(sys.stdin)[\"requests\"].get(\"getUpdates\",0))")" -ge 1 ]'
# CPU used over a 2 s window while the poll is held (start-up cost, large under ASan, excluded):
# a busy loop would burn ~200 ticks.
before=$(awk '{print $14+$15}' /proc/$pid/stat)
sleep 2
ticks=$(( $(awk '{print $14+$15}' /proc/$pid/stat) - before ))
[ "$ticks" -lt 40 ] || fail "m2g-poll burned $ticks CPU ticks in 2 s while waiting"
start=$(date +%s)
kill -TERM $pid
code=0; wait $pid || code=$?
[ "$code" = 0 ] || fail "SIGTERM: expected 0, got $code: $(cat err.txt)"
[ $(( $(date +%s) - start )) -le 20 ] || fail "SIGTERM waited for the long poll (50 s)"

control message '{"text":"still here"}' > /dev/null
poll --timeout 50 --out "sqlite:q.db#updates" 2>> err.txt &
pid=$!
track $pid
wait_for 10 sh -c '[ "$(python3 -c "import sqlite3; print(sqlite3.connect(\"q.db\").execute(\"select count(*) from m2g_queue\").fetchone()[0])")" = 1 ]'
kill -INT $pid
code=0; wait $pid || code=$?
[ "$code" = 130 ] || fail "SIGINT: expected 130, got $code"
