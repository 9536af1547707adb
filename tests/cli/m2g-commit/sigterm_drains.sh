## SIGTERM stops reading, commits and pushes the jobs already read, writes their results, and exits 0.
. "$M2G_SRC/tests/cli/common.sh"
. "$M2G_SRC/tests/cli/m2g-commit/lib.bash"
new_remote remote.git
mkfifo feed
m2g-commit --remote ./remote.git --batch-ms 5s < feed > out.jsonl &
pid=$!
track $pid
exec 3> feed
note_jobs 5 1 >&3
# A line m2g-commit does not own passes through at once: once it is out, the 5 jobs before it were read.
echo '{"v":1,"kind":"progress","id":"marker","stage":"test","step":"marker"}' >&3
wait_for 120 grep -q '"id":"marker"' out.jsonl
kill -TERM $pid
code=0; wait $pid || code=$?
exec 3>&-
[ "$code" = 0 ] || fail "exit $code after SIGTERM"
[ "$(grep -c '"kind":"result"' out.jsonl)" = 5 ] || fail "in-flight jobs were not drained"
check_once remote.git note.md 5
