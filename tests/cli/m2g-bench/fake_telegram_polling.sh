## The fake Bot API speaks getUpdates like Telegram: --port 0 prints the port; a held long poll
## is answered as soon as an update is injected, on a single thread; unconfirmed updates come
## again and an offset confirms them; a second poller ends the held one with 409; a wrong
## token gets 401, a malformed one 404; SIGTERM exits 0.
. "$M2G_SRC/tests/cli/common.sh"
. "$M2G_SRC/tests/cli/m2g-poll/fake.inc"
start_fake
api="$FAKE_URL/bot$M2G_TELEGRAM_TOKEN"
[ "$(curl -sf "$api/getMe" | json_get result.is_bot)" = True ] || fail "getMe"
curl -s "$api/getUpdates?timeout=10" > held.json &
held=$!
sleep 0.5
kill -0 $held 2>/dev/null || fail "an empty long poll was not held"
threads=$(awk '/^Threads:/ {print $2}' /proc/"$FAKE_PID"/status)
[ "$threads" -le 2 ] || fail "the fake runs $threads threads while holding a poll"
start=$(date +%s.%N)
control message '{"chat_id":5,"text":"wake up"}' > /dev/null
wait $held
end=$(date +%s.%N)
python3 -c "import sys; assert float(sys.argv[2]) - float(sys.argv[1]) < 1" "$start" "$end" || fail "held poll not woken"
[ "$(json_get result.0.message.text < held.json)" = "wake up" ] || fail "wrong update: $(cat held.json)"
# Not confirmed: it comes again. offset=2 confirms it.
[ "$(curl -sf "$api/getUpdates" | json_get result.0.update_id)" = 1 ] || fail "unconfirmed update lost"
[ "$(curl -sf "$api/getUpdates?offset=2" | json_get result)" = "[]" ] || fail "offset did not confirm"
[ "$(control_get stats | json_get pending_updates)" = 0 ] || fail "confirmed update still pending"
# Two pollers: the newer request wins, the held one gets 409.
curl -s "$api/getUpdates?timeout=10&offset=2" > first.json &
first=$!
sleep 0.3
curl -s "$api/getUpdates?timeout=1&offset=2" > second.json
wait $first
[ "$(json_get error_code < first.json)" = 409 ] || fail "held poll not terminated: $(cat first.json)"
grep -q "terminated by other getUpdates request" first.json || fail "wrong description"
[ "$(json_get ok < second.json)" = True ] || fail "newer poll failed"
[ "$(curl -s "$FAKE_URL/bot987654:wrong/getMe" | json_get error_code)" = 401 ] || fail "wrong token not 401"
[ "$(curl -s "$FAKE_URL/botnonsense/getMe" | json_get error_code)" = 404 ] || fail "malformed token not 404"
[ "$(curl -s "$api/noSuchMethod" | json_get description)" = "Not Found" ] || fail "unknown method not 404"
[ "$(requests getUpdates)" = 5 ] || fail "getUpdates count: $(requests getUpdates)"
kill -TERM "$FAKE_PID"
wait "$FAKE_PID" || fail "SIGTERM should exit 0"
