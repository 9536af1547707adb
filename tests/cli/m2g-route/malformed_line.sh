## A malformed line and an update that breaks the contract are reported with their line
## numbers and copied to --reject; the other lines are handled; the exit code is 1.
. "$M2G_SRC/tests/cli/common.sh"
. "$M2G_SRC/tests/cli/m2g-route/helpers.inc"
{
  msg 1 42 10 'first'
  echo '{"v":1,"kind":"update",broken'
  echo '{"v":1,"kind":"update","id":"tg:3","update_id":3,"type":"message","text":"no chat"}'
  msg 4 42 11 'last'
} > in.jsonl
expect_code 1 m2g-route --allowed-chats 42 --db r.db --reject rej.txt < in.jsonl > out.jsonl 2> err.txt
grep -q 'line 2: malformed JSON' err.txt || fail "no line number for the bad JSON: $(cat err.txt)"
grep -q 'line 3: .*chat_id' err.txt || fail "no line number for the bad update: $(cat err.txt)"
[ "$(n_lines rej.txt)" = 2 ] || fail "reject file: $(cat rej.txt)"
grep -qF '{"v":1,"kind":"update",broken' rej.txt || fail "raw line not in the reject file"
[ "$(count_kind out.jsonl action sendMessage)" = 2 ] || fail "the good lines were not handled"
