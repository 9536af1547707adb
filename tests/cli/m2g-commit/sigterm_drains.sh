## SIGTERM stops reading, commits and pushes the jobs already read at once (without waiting out
## --batch-ms), writes their results, and exits 0. End of input does the same.
. "$M2G_SRC/tests/cli/common.sh"
. "$M2G_SRC/tests/cli/m2g-commit/lib.bash"
new_remote remote.git
mkfifo feed
# A 10-minute batch window: the test's 120 s bounds below only hold if the window is cut short.
(
  sh -c 'echo $$ > pid; exec m2g-commit --remote ./remote.git --batch-ms 10min' < feed > out.jsonl
  echo $? > rc
) &
track $!
exec 3> feed
note_jobs 5 1 >&3
# A line m2g-commit does not own passes through at once: once it is out, the 5 jobs before it were read.
echo '{"v":1,"kind":"progress","id":"marker","stage":"test","step":"marker"}' >&3
wait_for 120 grep -q '"id":"marker"' out.jsonl
[ "$(grep -c '"kind":"result"' out.jsonl)" = 0 ] || fail "the batch went out before its window or SIGTERM"
kill -TERM "$(cat pid)"
wait_for 120 test -s rc
exec 3>&-
[ "$(cat rc)" = 0 ] || fail "exit $(cat rc) after SIGTERM"
[ "$(grep -c '"kind":"result"' out.jsonl)" = 5 ] || fail "in-flight jobs were not drained"
check_once remote.git note.md 5

# End of input: the waiting batch goes out at once, not after the window.
rm -f rc
(
  note_jobs 3 100 | m2g-commit --remote ./remote.git --batch-ms 10min > out2.jsonl
  echo $? > rc
) &
track $!
wait_for 120 test -s rc
[ "$(cat rc)" = 0 ] || fail "exit $(cat rc) at end of input"
[ "$(grep -c '"kind":"result"' out2.jsonl)" = 3 ] || fail "jobs before end of input were not committed"
