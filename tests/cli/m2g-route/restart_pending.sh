## A pending choice survives a restart: the keyboard is sent by one run, the click is handled
## by the next run on the same --db; a choice older than --pending-expiry is refused.
. "$M2G_SRC/tests/cli/common.sh"
. "$M2G_SRC/tests/cli/m2g-route/helpers.inc"
{ msg 1 42 10 'survive me'; msg 2 42 11 'let me expire'; } | m2g-route --allowed-chats 42 --db r.db > first.jsonl
[ "$(count_kind first.jsonl action sendMessage)" = 2 ] || fail "no keyboards"
click 3 42 cb-1 'f:inbox:10' 500 | m2g-route --allowed-chats 42 --db r.db > second.jsonl
[ "$(count_kind second.jsonl job)" = 1 ] || fail "the click after a restart filed nothing"
job_field second.jsonl text | grep -x '"survive me"' > /dev/null || fail "wrong text"
sleep 0.05
click 4 42 cb-2 'f:note:11' 501 | m2g-route --allowed-chats 42 --pending-expiry 10ms --db r.db > third.jsonl
[ "$(count_kind third.jsonl job)" = 0 ] || fail "an expired choice was filed"
texts third.jsonl | grep 'expired' > /dev/null || fail "no expiry answer: $(texts third.jsonl)"
