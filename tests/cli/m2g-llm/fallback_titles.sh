## Without a model, with llm false, or for a photo without caption, jobs get a fallback title and no hashtags.
. "$M2G_SRC/tests/cli/common.sh"
cat > in.jsonl <<'JSONL'
{"v":1,"kind":"job","id":"1:1","op":"add","text":"one two three four five six seven eight nine ten","llm":true}
{"v":1,"kind":"job","id":"1:2","op":"add","text":"東京で寿司を食べた。とても美味しかったです。また行きたいと思います。次は大阪に行きます。","llm":false}
{"v":1,"kind":"job","id":"1:3","op":"add","photo":{"file_id":"f","file_unique_id":"u"},"text":""}
{"v":1,"kind":"job","id":"1:4","op":"issue","photo":{"file_id":"f","caption":"broken stairs at home"}}
{"v":1,"kind":"job","id":"1:5","op":"add"}
JSONL
m2g-llm < in.jsonl > out.jsonl
python3 - out.jsonl <<'PY' || fail "wrong fallback lines"
import json, sys
got = {v["id"]: v for v in map(json.loads, open(sys.argv[1]))}
assert got["1:1"]["title"] == "one two three four five six seven eight…", got["1:1"]["title"]
t = got["1:2"]["title"]
assert len(t.encode()) <= 60 and t.endswith("…") and t.startswith("東京で"), t
assert got["1:3"]["title"] == "Photo"
assert got["1:4"]["title"] == "broken stairs at home"
assert got["1:5"]["title"] == "Untitled"
for v in got.values():
    assert v["title_source"] == "fallback" and v["hashtags"] == [] and "usage" not in v, v
PY
