## Under 429s end states always arrive: a scripted 429 with retry_after is waited out and the
## edit repeated; and with our own limit set far above the fake's 30/s, the fake's real limiter
## answers 429s and still every one of 60 chats gets its ✅.
. "$M2G_SRC/tests/cli/common.sh"
. "$M2G_SRC/tests/cli/m2g-progress/fake.inc"
start_fake_telegram
mid=$(person_says 3 "note")
echo '{"v":1,"kind":"action","id":"a","method":"sendMessage","params":{"chat_id":3,"text":"⏳ queued"}}' | m2g-progress > /dev/null
status=$(chat 3 | py 'print(state["messages"][0]["message_id"])')
control POST script '{"method":"editMessageText","responses":[{"status":429,"retry_after":1},{"status":429,"retry_after":1}]}' > /dev/null
echo "{\"v\":1,\"kind\":\"result\",\"id\":\"3:$mid\",\"chat_id\":3,\"message_id\":$mid,\"status_message_id\":$status,\"file\":\"todo.md\"}" \
  | m2g-progress > /dev/null 2> err.txt
[ "$(requests editMessageText)" = 3 ] || fail "expected 2 refused edits and 1 that went through, got $(requests editMessageText)"
chat 3 | py 'assert state["messages"][0]["text"] == "✅ Saved to <b>todo.md</b>", state' || fail "end state lost: $(chat 3)"

control POST bulk '{"count":60,"chats":60,"first_chat_id":1000,"prefix":"m"}' > /dev/null
seq 1000 1059 | awk '{printf "{\"v\":1,\"kind\":\"result\",\"id\":\"%d:1\",\"chat_id\":%d,\"file\":\"inbox.md\"}\n", $1, $1}' \
  | m2g-progress --global-rate 1000 --per-chat-rate 1000 > /dev/null 2> err2.txt
python3 - "$FAKE_URL" <<'PY' || fail "a chat got no ✅: $(cat err2.txt)"
import json, sys, urllib.request
for c in range(1000, 1060):
    state = json.load(urllib.request.urlopen("%s/control/chat?chat_id=%d" % (sys.argv[1], c)))
    assert any(m["text"].startswith("✅") for m in state["messages"]), state
PY
sent=$(requests sendMessage)
[ "$sent" -gt 60 ] || fail "the fake never answered 429 ($sent sendMessage calls): the test proves nothing"
