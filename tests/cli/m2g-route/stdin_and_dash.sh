## Input from stdin and from --in - gives the same output; lines of other kinds pass through
## byte for byte.
. "$M2G_SRC/tests/cli/common.sh"
. "$M2G_SRC/tests/cli/m2g-route/helpers.inc"
{
  msg 1 42 10 'hello'
  echo '{"v":1,"kind":"result","id":"9:9","file":"note.md",  "extra":[1,2]}'
  echo '{"v":1,"kind":"mystery","id":"z"}'
} > in.jsonl
m2g-route --allowed-chats 42 --db a.db < in.jsonl > a.jsonl
m2g-route --allowed-chats 42 --db b.db --in - < in.jsonl > b.jsonl
norm a.jsonl > a.norm
norm b.jsonl > b.norm
test_cmp a.norm b.norm
grep -qxF '{"v":1,"kind":"result","id":"9:9","file":"note.md",  "extra":[1,2]}' a.jsonl || fail "result not passed byte for byte"
grep -qxF '{"v":1,"kind":"mystery","id":"z"}' a.jsonl || fail "unknown kind not passed"
[ "$(count_kind a.jsonl action sendMessage)" = 1 ] || fail "no keyboard"
