## The fake LLM's options: --port 0 prints the port, --key-file demands the key (401 otherwise), latency delays answers, bad specs exit 64.
. "$M2G_SRC/tests/cli/common.sh"
. "$M2G_SRC/tests/cli/m2g-llm/fake.inc"
expect_code 64 m2g-bench fake llm --port 0 --latency fast
expect_code 64 m2g-bench fake llm --port 0 --fault 404=0.5
expect_code 64 m2g-bench fake llm --port 0 --fault 429=0.7,500=0.7
expect_code 64 m2g-bench fake llm
m2g-bench fake llm --help | grep -q -- '--latency' || fail "--help lacks --latency"
printf 'secret-key-42\n' > k && chmod 600 k
start_fake --key-file k --latency 400ms
case "$port" in ''|*[!0-9]*) fail "--port 0 printed '$port'" ;; esac
body='{"model":"m","messages":[{"role":"user","content":"x"}]}'
url="http://127.0.0.1:$port/v1/chat/completions"
[ "$(curl -s -o /dev/null -w '%{http_code}' -d "$body" "$url")" = 401 ] || fail "no key accepted"
[ "$(curl -s -o /dev/null -w '%{http_code}' -H 'Authorization: Bearer nope' -d "$body" "$url")" = 401 ] || fail "wrong key accepted"
t=$(curl -s -o /dev/null -w '%{http_code} %{time_total}' -H 'Authorization: Bearer secret-key-42' -d "$body" "$url")
[ "${t%% *}" = 200 ] || fail "the right key was refused: $t"
python3 -c 'import sys; assert float(sys.argv[1]) >= 0.39, sys.argv[1]' "${t#* }" || fail "the answer came before the latency: $t"
kill -TERM "$fake_pid"
code=0; wait "$fake_pid" || code=$?
[ "$code" = 0 ] || fail "fake exit $code after SIGTERM"
grep -q '"requests":3' fake.err || fail "no stats line at exit: $(cat fake.err)"
