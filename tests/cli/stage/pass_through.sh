## A stage forwards lines it does not own at once, even while its own work is slow, and
## reports a malformed line with its number (and to --reject) without stopping.
. "$M2G_SRC/tests/cli/common.sh"
mkfifo feed
m2g-teststage --delay-ms 3000 --reject rej.txt < feed > out.jsonl 2> err.txt &
pid=$!
track $pid
exec 3> feed
echo '{"v":1,"kind":"job","id":"slow"}' >&3
echo 'not json' >&3
echo '{"v":1,"kind":"progress","id":"fast"}' >&3
# The progress line must cross while the job is still in flight (3 s).
wait_for 2 grep -q '"id":"fast"' out.jsonl
grep -q '"kind":"result"' out.jsonl && fail "job answered too early"
exec 3>&-
wait $pid
grep -q '"kind":"result"' out.jsonl || fail "job never answered: the stage must drain at EOF"
grep -q 'line 2: malformed JSON' err.txt || fail "bad line not reported"
[ "$(cat rej.txt)" = "not json" ] || fail "reject file"
