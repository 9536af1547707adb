## put killed with SIGKILL mid-stream loses nothing it had committed (what stat reports survives).
. "$M2G_SRC/tests/cli/common.sh"
mkfifo feed
m2g-queue put q.db -t t < feed &
pid=$!
track $pid
exec 3> feed
jobs 3000 a >&3
# Wait until the batch is committed, then kill without warning.
wait_for 20 sh -c 'm2g-queue stat q.db --json 2>/dev/null | grep -q "\"ready\":3000"'
kill -9 $pid
exec 3>&-
wait $pid 2>/dev/null || true
m2g-queue take q.db -t t > out.jsonl
[ "$(n_lines out.jsonl)" = 3000 ] || fail "committed lines were lost: $(n_lines out.jsonl)"
