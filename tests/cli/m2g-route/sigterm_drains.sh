## SIGTERM while reading: everything read so far is answered, output is flushed, exit 0.
. "$M2G_SRC/tests/cli/common.sh"
. "$M2G_SRC/tests/cli/m2g-route/helpers.inc"
mkfifo feed
m2g-route --allowed-chats 42 --db r.db < feed > out.jsonl 2> err.txt &
pid=$!
track $pid
exec 3> feed
msg 1 42 10 'one' >&3
msg 2 42 11 '#todo two' >&3
wait_for 5 grep -q '"kind":"job"' out.jsonl
kill -TERM $pid
code=0
wait $pid || code=$?
exec 3>&-
[ "$code" = 0 ] || fail "exit $code after SIGTERM"
[ "$(count_kind out.jsonl action sendMessage)" = 1 ] || fail "keyboard missing"
[ "$(count_kind out.jsonl job)" = 1 ] || fail "job missing"
