## The fake LLM speaks OpenAI's chat-completions JSON on /v1 and without it, with usage, and refuses bad requests.
. "$M2G_SRC/tests/cli/common.sh"
. "$M2G_SRC/tests/cli/m2g-llm/fake.inc"
start_fake
body='{"model":"m","messages":[{"role":"system","content":"be brief"},{"role":"user","content":"buy milk and eggs"}]}'
curl -sf -H 'Content-Type: application/json' -d "$body" "http://127.0.0.1:$port/v1/chat/completions" > a.json
curl -sf -H 'Content-Type: application/json' -d "$body" "http://127.0.0.1:$port/chat/completions" > b.json
python3 - a.json b.json <<'PY' || fail "not an OpenAI-shaped answer: $(cat a.json)"
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:3])
assert a["object"] == "chat.completion" and a["model"] == "m"
choice = a["choices"][0]
assert choice["finish_reason"] == "stop" and choice["message"]["role"] == "assistant"
content = json.loads(choice["message"]["content"])
assert content["title"] == "Buy milk and eggs", content
assert content["hashtags"][0] == "#buy" and len(content["hashtags"]) == 2
u = a["usage"]
assert u["prompt_tokens"] > 0 and u["total_tokens"] == u["prompt_tokens"] + u["completion_tokens"]
assert json.loads(b["choices"][0]["message"]["content"]) == content  # deterministic
PY
code=$(curl -s -o err.json -w '%{http_code}' -d '{"model":"m"}' "http://127.0.0.1:$port/v1/chat/completions")
[ "$code" = 400 ] || fail "missing messages gave $code"
grep -q '"error"' err.json || fail "no error envelope"
code=$(curl -s -o /dev/null -w '%{http_code}' -d "$body" "http://127.0.0.1:$port/v1/completions")
[ "$code" = 404 ] || fail "unknown path gave $code"
code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/v1/chat/completions")
[ "$code" = 405 ] || fail "GET gave $code"
