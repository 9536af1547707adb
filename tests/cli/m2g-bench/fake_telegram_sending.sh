## The fake's sending side: sendMessage with an inline keyboard returns a Message with a new id,
## shown with its edits through /control/chat; Telegram's 400s (empty or too long text,
## callback_data over 64 bytes, identical edit), 429 with retry_after past the per-chat limit,
## per-method latency, and --fail-rate / --drop-rate faults.
. "$M2G_SRC/tests/cli/common.sh"
. "$M2G_SRC/tests/cli/m2g-poll/fake.inc"
start_fake --latency sendChatAction=400ms
api="$FAKE_URL/bot$M2G_TELEGRAM_TOKEN"
control message '{"chat_id":7,"text":"hi"}' > /dev/null
send() { curl -s "$api/sendMessage" -H 'Content-Type: application/json' -d "$1"; }
id=$(send '{"chat_id":7,"text":"Pick:","reply_markup":{"inline_keyboard":[[{"text":"A","callback_data":"a"}]]}}' |
  json_get result.message_id)
[ "$id" = 2 ] || fail "expected message_id 2, got $id"
curl -sf "$api/editMessageText" -d chat_id=7 -d message_id=2 -d text=Done > /dev/null || fail "edit failed"
[ "$(curl -s "$api/editMessageText" -d chat_id=7 -d message_id=2 -d text=Done | json_get description | cut -c1-36)" = \
  "Bad Request: message is not modified" ] || fail "identical edit not refused"
state=$(control_get "chat?chat_id=7")
[ "$(echo "$state" | json_get messages.0.text)" = Done ] || fail "current text"
[ "$(echo "$state" | json_get messages.0.edits.0.text)" = Done ] || fail "edit history"
[ "$(send '{"chat_id":7,"text":""}' | json_get description)" = "Bad Request: message text is empty" ] || fail "empty"
long=$(python3 -c 'print("x" * 4097)')
[ "$(send "{\"chat_id\":7,\"text\":\"$long\"}" | json_get description)" = "Bad Request: message is too long" ] ||
  fail "too long"
data=$(python3 -c 'print("d" * 65)')
[ "$(send "{\"chat_id\":7,\"text\":\"k\",\"reply_markup\":{\"inline_keyboard\":[[{\"text\":\"A\",\"callback_data\":\"$data\"}]]}}" |
  json_get description)" = "Bad Request: BUTTON_DATA_INVALID" ] || fail "callback_data"
# Per-chat limit (slowed down so the test does not depend on timing): a burst of 3, then 429.
control limits '{"chat_rate":0.01,"chat_burst":3}' > /dev/null
for i in 1 2 3; do send "{\"chat_id\":7,\"text\":\"$i\"}" | grep -q '"ok":true' || fail "send $i refused"; done
limited=$(send '{"chat_id":7,"text":"4"}')
[ "$(echo "$limited" | json_get error_code)" = 429 ] || fail "no 429: $limited"
[ "$(echo "$limited" | json_get parameters.retry_after)" -ge 90 ] || fail "wrong retry_after: $limited"
start=$(date +%s.%N)
curl -sf "$api/sendChatAction" -d chat_id=7 -d action=typing > /dev/null
end=$(date +%s.%N)
python3 -c "import sys; assert float(sys.argv[2]) - float(sys.argv[1]) >= 0.35" "$start" "$end" || fail "no latency"
control faults '{"fail_rate":1}' > /dev/null
[ "$(curl -s -o /dev/null -w '%{http_code}' "$api/getMe")" = 500 ] || fail "fail_rate 1 should answer 500"
control faults '{"fail_rate":0,"drop_rate":1}' > /dev/null
code=0; curl -s "$api/getMe" > /dev/null || code=$?
[ "$code" = 52 ] || fail "drop_rate 1 should drop the connection (curl 52), got $code"
control faults '{"drop_rate":0}' > /dev/null
[ "$(curl -sf "$api/getMe" | json_get ok)" = True ] || fail "faults not cleared"
