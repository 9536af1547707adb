## The API key (from the environment or --key-file) is sent, works, and never appears in any output.
. "$M2G_SRC/tests/cli/common.sh"
. "$M2G_SRC/tests/cli/m2g-llm/fake.inc"
key=sk-test-7f3a9c2e5b1d8f4a
printf '%s\n' "$key" > server.key && chmod 600 server.key
start_fake --key-file server.key
llm_jobs 5 j > in.jsonl
M2G_LLM_API_KEY=$key m2g-llm --base-url "$base" --model fake --log-level debug < in.jsonl > out1.jsonl 2> err1.txt
[ "$(count_source out1.jsonl llm)" = 5 ] || fail "the key from M2G_LLM_API_KEY was not accepted"
printf '%s\n' "$key" > client.key && chmod 600 client.key
m2g-llm --base-url "$base" --model fake --key-file client.key --log-level debug < in.jsonl > out2.jsonl 2> err2.txt
[ "$(count_source out2.jsonl llm)" = 5 ] || fail "the key from --key-file was not accepted"
# A wrong key: 401, not retried, fallback; the wrong key is not shown either.
wrong=sk-wrong-0123456789abcdef
M2G_LLM_API_KEY=$wrong m2g-llm --base-url "$base" --model fake --log-level debug < in.jsonl > out3.jsonl 2> err3.txt
[ "$(count_source out3.jsonl fallback)" = 5 ] || fail "a refused key did not give fallbacks"
grep -q 'HTTP 401' err3.txt || fail "the 401 was not reported at debug level"
# A key in the URL (some gateways) is scrubbed from messages too.
M2G_LLM_API_KEY=$key m2g-llm --base-url "http://127.0.0.1:9/$key" --model fake --retries 0 --log-level debug \
  < in.jsonl > out4.jsonl 2> err4.txt
[ "$(count_source out4.jsonl fallback)" = 5 ] || fail "an unreachable endpoint did not give fallbacks"
for f in out1.jsonl err1.txt out2.jsonl err2.txt out3.jsonl err3.txt out4.jsonl err4.txt; do
  if grep -q -e "$key" -e "$wrong" "$f"; then fail "a key appears in $f"; fi
done
