## A 429 answer makes the poller wait parameters.retry_after seconds before polling again,
## then go on; nothing is lost.
. "$M2G_SRC/tests/cli/common.sh"
. "$M2G_SRC/tests/cli/m2g-poll/fake.inc"
start_fake
control message '{"text":"after the limit"}' > /dev/null
control script '{"method":"getUpdates","responses":[{"status":429,"retry_after":2}]}' > /dev/null
start=$(date +%s.%N)
poll --once --state state.db > out.jsonl 2> err.txt
end=$(date +%s.%N)
grep -q "429 Too Many Requests: retry after 2" err.txt || fail "429 not reported: $(cat err.txt)"
grep -q "retrying in 2.0s" err.txt || fail "did not wait retry_after: $(cat err.txt)"
python3 -c "import sys; assert float(sys.argv[2]) - float(sys.argv[1]) >= 1.9" "$start" "$end" ||
  fail "came back before retry_after"
[ "$(json_field out.jsonl text)" = "after the limit" ] || fail "the message was not delivered"
[ "$(requests getUpdates)" = 2 ] || fail "expected 2 getUpdates calls, got $(requests getUpdates)"
