## 409 Conflict ends the poller with exit 69 and names the cause: a webhook set for the bot, or
## a second poller on the same token (Telegram lets the newer poll win).
. "$M2G_SRC/tests/cli/common.sh"
. "$M2G_SRC/tests/cli/m2g-poll/fake.inc"
start_fake
curl -sf "$FAKE_URL/bot$M2G_TELEGRAM_TOKEN/setWebhook" -d url=https://example.org/hook > /dev/null
expect_code 69 poll --state state.db 2> webhook.txt
grep -q "webhook is set" webhook.txt || fail "cause not named: $(cat webhook.txt)"
curl -sf "$FAKE_URL/bot$M2G_TELEGRAM_TOKEN/deleteWebhook" > /dev/null

# Two pollers: the first is held in a long poll when the second asks; the first gets the 409.
poll --timeout 20 --state one.db > one.jsonl 2> one.txt &
first=$!
track $first
wait_for 10 sh -c "[ \"\$(curl -sf $FAKE_URL/control/stats | python3 -c 'import json,sys; print(json.load(sys.stdin)[\"requests\"].get(\"getUpdates\",0))')\" -ge 1 ]"
poll --timeout 20 --state two.db > two.jsonl 2> two.txt &
second=$!
track $second
code=0; wait $first || code=$?
[ "$code" = 69 ] || fail "the first poller should exit 69, got $code: $(cat one.txt)"
grep -q "another poller" one.txt || fail "cause not named: $(cat one.txt)"
kill -TERM $second
wait $second || fail "the second poller should stop cleanly"
