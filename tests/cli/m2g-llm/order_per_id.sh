## Output order follows readiness, but a line of the same id as a job in flight waits behind that job.
. "$M2G_SRC/tests/cli/common.sh"
. "$M2G_SRC/tests/cli/m2g-llm/fake.inc"
start_fake --latency 300ms
cat > in.jsonl <<'JSONL'
{"v":1,"kind":"job","id":"1:1","op":"add","text":"slow one","llm":true}
{"v":1,"kind":"progress","id":"1:1","stage":"m2g-test","step":"later","pct":70}
{"v":1,"kind":"job","id":"1:1","op":"add","text":"same id again","llm":true}
{"v":1,"kind":"progress","id":"2:2","stage":"m2g-test","step":"other","pct":10}
JSONL
m2g-llm --base-url "$base" --model fake < in.jsonl > out.jsonl
python3 - out.jsonl <<'PY' || fail "order is wrong: $(cat out.jsonl)"
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1])]
order = [(v["id"], v["kind"], v.get("step") or v.get("text")) for v in lines if v.get("stage") != "m2g-llm"]
# The unrelated progress line passes at once, before the slow job.
assert order[0] == ("2:2", "progress", "other"), order
ours = [o for o in order if o[0] == "1:1"]
assert ours == [("1:1", "job", "slow one"), ("1:1", "progress", "later"), ("1:1", "job", "same id again")], ours
PY
