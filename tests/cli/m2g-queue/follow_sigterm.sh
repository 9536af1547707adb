## take --follow wakes for new lines without polling hard, and SIGTERM stops it with exit 0.
. "$M2G_SRC/tests/cli/common.sh"
m2g-queue put q.db -t t < /dev/null
m2g-queue take q.db -t t --follow > out.jsonl &
pid=$!
track $pid
jobs 2 a | m2g-queue put q.db -t t
wait_for 10 sh -c '[ "$(wc -l < out.jsonl)" -ge 2 ]'
# Idle for a while: it must be asleep, not spinning (a busy loop burns ~200 ticks in 2 s).
before=$(awk '{print $14+$15}' /proc/$pid/stat)
sleep 2
ticks=$(( $(awk '{print $14+$15}' /proc/$pid/stat) - before ))
[ "$ticks" -lt 40 ] || fail "take --follow burned $ticks CPU ticks in 2 s while idle"
kill -TERM $pid
code=0; wait $pid || code=$?
[ "$code" = 0 ] || fail "SIGTERM should exit 0, got $code"
