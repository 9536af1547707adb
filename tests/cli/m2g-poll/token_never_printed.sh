## The bot token appears in no output: not on stdout, stderr (even at debug level, through
## retries, refusals and transport errors), the queue database or the state database, even
## when a person's message quotes it.
. "$M2G_SRC/tests/cli/common.sh"
. "$M2G_SRC/tests/cli/m2g-poll/fake.inc"
secret=${M2G_TELEGRAM_TOKEN#*:}
start_fake
control message "{\"text\":\"token is $M2G_TELEGRAM_TOKEN? no\"}" > /dev/null
control script '{"method":"getUpdates","responses":[{"status":500},{"drop":true},{"status":200,"body":"junk"}]}' > /dev/null
poll --once --log-level debug --max-backoff 100ms --out "sqlite:q.db#updates" > out.txt 2> err.txt
poll --once --log-level debug --state state.db > out2.txt 2>> err.txt
# Refusals and an unreachable server.
M2G_TELEGRAM_TOKEN="987654:OTHER-secret" poll --log-level debug --state x.db >> out.txt 2>> err.txt || true
kill -9 "$FAKE_PID"
wait "$FAKE_PID" 2>/dev/null || true
poll --once --log-level debug --max-backoff 50ms --state state.db >> out.txt 2>> err.txt || true
[ -s err.txt ] || fail "no diagnostics at all"
grep -q "transport error" err.txt || fail "expected a transport error in the log"
for f in out.txt out2.txt err.txt q.db state.db; do
  if grep -a -q -- "$secret" "$f"; then fail "the token's secret part appears in $f"; fi
done
if grep -a -q "OTHER-secret" err.txt out.txt; then fail "a refused token was printed"; fi
# A person's text quoting the token is stored with the token redacted.
m2g-queue take q.db -t updates > taken.jsonl
[ "$(json_field taken.jsonl text)" = "token is ***? no" ] || fail "not redacted: $(cat taken.jsonl)"
