## 5xx answers and dropped connections are retried with backoff until the call goes through.
. "$M2G_SRC/tests/cli/common.sh"
. "$M2G_SRC/tests/cli/m2g-progress/fake.inc"
start_fake_telegram
person_says 11 "hi" > /dev/null
control POST script '{"method":"sendMessage","responses":[{"status":502,"body":"<html>Bad Gateway</html>"},{"drop":true}]}' > /dev/null
echo '{"v":1,"kind":"result","id":"11:1","chat_id":11,"file":"note.md"}' | m2g-progress > /dev/null 2> err.txt \
  || fail "exit $?: $(cat err.txt)"
[ "$(requests sendMessage)" = 3 ] || fail "expected 2 failures and 1 success, got $(requests sendMessage) calls"
chat 11 | py 'assert [m["text"] for m in state["messages"]] == ["✅ Saved to <b>note.md</b>"], state' \
  || fail "not delivered: $(chat 11)"
