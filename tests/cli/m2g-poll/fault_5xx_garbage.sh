## 5xx answers, bodies that are not the Bot API's JSON, a result that is not an array and a
## dropped connection (twice: curl itself retries a request whose reused connection died) are
## each logged and retried with backoff; the poller never crashes, and
## the message arrives afterwards.
. "$M2G_SRC/tests/cli/common.sh"
. "$M2G_SRC/tests/cli/m2g-poll/fake.inc"
start_fake
control message '{"text":"survivor"}' > /dev/null
control script '{"method":"getUpdates","responses":[
  {"status":500},
  {"status":502,"body":"<html>Bad Gateway</html>"},
  {"status":200,"body":"this is not json"},
  {"status":200,"body":{"ok":true,"result":{"not":"an array"}}},
  {"drop":true},{"drop":true}]}' > /dev/null
poll --timeout 1 --state state.db --max-backoff 200ms > out.jsonl 2> err.txt &
pid=$!
track $pid
wait_for 20 test -s out.jsonl
kill -TERM $pid
wait $pid || fail "should exit 0 after SIGTERM: $(cat err.txt)"
[ "$(json_field out.jsonl text)" = "survivor" ] || fail "message not delivered"
[ "$(grep -c 'getUpdates: .*retrying in' err.txt)" = 5 ] || fail "expected 5 retries: $(cat err.txt)"
grep -q "500 Internal Server Error" err.txt || fail "500 not logged"
grep -q "HTTP 502 without the Bot API's JSON envelope" err.txt || fail "502 garbage not logged"
grep -q "without an array" err.txt || fail "non-array result not logged"
grep -q "transport error" err.txt || fail "dropped connection not logged"
