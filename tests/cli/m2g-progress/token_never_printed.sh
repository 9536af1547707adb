## The bot token appears in no output: not on stdout, not in --reject, not in logs at debug
## level, also when calls fail (500s, dropped connections, 400s) or the server is unreachable.
. "$M2G_SRC/tests/cli/common.sh"
. "$M2G_SRC/tests/cli/m2g-progress/fake.inc"
start_fake_telegram --token 123456:progress-test-token --fail-rate 0.3 --drop-rate 0.2 --seed 7
person_says 12 "hi" > /dev/null
cat > in.jsonl <<'LINES'
{"v":1,"kind":"action","id":"a","method":"sendMessage","params":{"chat_id":12,"text":"hello"}}
{"v":1,"kind":"action","id":"b","method":"editMessageText","params":{"chat_id":12,"message_id":999,"text":"no such message"}}
{"v":1,"kind":"action","id":"c","method":"sendMessage","params":{"chat_id":13,"text":"chat not found"}}
{"v":1,"kind":"action","id":"d","method":"getUpdates","params":{}}
{"v":1,"kind":"progress","id":"12:1","chat_id":12,"message_id":1,"step":"title","pct":50}
{"v":1,"kind":"result","id":"12:1","chat_id":12,"message_id":1,"file":"note.md"}
{"v":1,"kind":"job", broken
LINES
m2g-progress --log-level debug --reject rej.jsonl --retries 10 < in.jsonl > out.jsonl 2> err.txt \
  || fail "exit $?: $(cat err.txt)"
chat 12 | py 'assert any(m["text"].startswith("✅") for m in state["messages"]), state' || fail "not delivered: $(chat 12)"
M2G_TELEGRAM_API_URL=http://127.0.0.1:9 m2g-progress --log-level debug --retries 1 --timeout 2s \
  < in.jsonl > out2.jsonl 2> err2.txt || true
[ -s err.txt ] && [ -s err2.txt ] || fail "no logs to check"
for f in out.jsonl rej.jsonl err.txt out2.jsonl err2.txt; do
  if grep -q 'progress-test-token' "$f"; then fail "the token is in $f: $(grep progress-test-token "$f")"; fi
done
