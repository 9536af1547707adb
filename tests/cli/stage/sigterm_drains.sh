## SIGTERM stops reading, lets in-flight work finish, flushes, and exits 0.
. "$M2G_SRC/tests/cli/common.sh"
mkfifo feed
m2g-teststage --delay-ms 2000 < feed > out.jsonl &
pid=$!
track $pid
exec 3> feed
jobs 3 j >&3
wait_for 30 fifo_drained feed # the three jobs are in flight now
kill -TERM $pid
code=0; wait $pid || code=$?
exec 3>&-
[ "$code" = 0 ] || fail "exit $code after SIGTERM"
[ "$(grep -c '"kind":"result"' out.jsonl)" = 3 ] || fail "in-flight jobs were not drained"
