## The fake LLM injects each fault as asked: 429 with Retry-After, quota, 500, 503, garbage, a fenced title, empty content.
. "$M2G_SRC/tests/cli/common.sh"
. "$M2G_SRC/tests/cli/m2g-llm/fake.inc"
body='{"model":"m","messages":[{"role":"user","content":"hello world"}]}'
ask() { curl -s -D headers.txt -o answer.json -w '%{http_code}' -d "$body" "http://127.0.0.1:$port/v1/chat/completions"; }
start_fake --fault 429=1 --retry-after 7
[ "$(ask)" = 429 ] || fail "429"
grep -qi '^retry-after: 7' headers.txt || fail "no Retry-After: $(cat headers.txt)"
grep -q rate_limit_exceeded answer.json || fail "429 code"
kill "$fake_pid"
start_fake --fault quota=1
[ "$(ask)" = 429 ] && grep -q insufficient_quota answer.json || fail "quota"
kill "$fake_pid"
start_fake --fault 500=1
[ "$(ask)" = 500 ] || fail "500"
kill "$fake_pid"
start_fake --fault 503=1
[ "$(ask)" = 503 ] && grep -qi '^retry-after' headers.txt || fail "503"
kill "$fake_pid"
start_fake --fault garbage=1
[ "$(ask)" = 200 ] || fail "garbage status"
python3 -c 'import json,sys; json.load(open("answer.json"))' 2>/dev/null && fail "garbage was valid JSON"
kill "$fake_pid"
start_fake --fault fence=1
[ "$(ask)" = 200 ] || fail "fence status"
python3 -c 'import json; c=json.load(open("answer.json"))["choices"][0]["message"]["content"]; assert "```json" in c and "Hello world" in c, c' || fail "fence"
kill "$fake_pid"
start_fake --fault empty=1
[ "$(ask)" = 200 ] || fail "empty status"
python3 -c 'import json; assert json.load(open("answer.json"))["choices"][0]["message"]["content"] == ""' || fail "empty"
kill "$fake_pid"
start_fake --fault hang=1
code=$(curl -s -o /dev/null -w '%{http_code}' -m 1 -d "$body" "http://127.0.0.1:$port/v1/chat/completions" || true)
[ "$code" = 000 ] || fail "hang answered $code"
kill "$fake_pid"
start_fake --fault drop=1
code=$(curl -s -o /dev/null -w '%{http_code}' -m 5 -d "$body" "http://127.0.0.1:$port/v1/chat/completions" || true)
[ "$code" = 000 ] || fail "drop answered $code"
