## Telegram's 400 "message is not modified" is not an error: no warning, exit 0, and the job's
## end state that follows is still shown.
. "$M2G_SRC/tests/cli/common.sh"
. "$M2G_SRC/tests/cli/m2g-progress/fake.inc"
start_fake_telegram
person_says 4 "hi" > /dev/null
echo '{"v":1,"kind":"action","id":"a","method":"sendMessage","params":{"chat_id":4,"text":"same"}}' | m2g-progress > /dev/null
status=$(chat 4 | py 'print(state["messages"][0]["message_id"])')
cat > in.jsonl <<LINES
{"v":1,"kind":"action","id":"b","method":"editMessageText","params":{"chat_id":4,"message_id":$status,"text":"same"}}
LINES
m2g-progress < in.jsonl > out.jsonl 2> err.txt
[ "$(requests editMessageText)" = 1 ] || fail "the identical edit was not sent"
if grep -q warning err.txt; then fail "'not modified' was reported: $(cat err.txt)"; fi
echo "{\"v\":1,\"kind\":\"result\",\"id\":\"4:1\",\"chat_id\":4,\"status_message_id\":$status,\"file\":\"idea.md\"}" \
  | m2g-progress > /dev/null 2> err2.txt
chat 4 | py 'assert state["messages"][0]["text"].startswith("✅"), state' || fail "end state not shown: $(chat 4)"
