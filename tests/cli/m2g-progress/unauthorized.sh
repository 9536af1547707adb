## A token Telegram refuses (401) stops the stage: exit 77, a message that says what to check,
## and the token appears nowhere in it.
. "$M2G_SRC/tests/cli/common.sh"
. "$M2G_SRC/tests/cli/m2g-progress/fake.inc"
start_fake_telegram --token 111:the-right-token
person_says 5 "hi" > /dev/null
code=0
echo '{"v":1,"kind":"action","id":"a","method":"sendMessage","params":{"chat_id":5,"text":"x"}}' \
  | M2G_TELEGRAM_TOKEN=222:a-wrong-secret m2g-progress > out.jsonl 2> err.txt || code=$?
[ "$code" = 77 ] || fail "exit $code on 401: $(cat err.txt)"
grep -q 'refused the bot token' err.txt || fail "unclear message: $(cat err.txt)"
if grep -q 'a-wrong-secret' err.txt out.jsonl; then fail "the token leaked"; fi
