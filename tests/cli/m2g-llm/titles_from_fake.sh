## Over loopback, the model's titles, hashtags and token usage land on each job, after its two progress events.
. "$M2G_SRC/tests/cli/common.sh"
. "$M2G_SRC/tests/cli/m2g-llm/fake.inc"
start_fake --latency 10ms..200ms
llm_jobs 50 j > in.jsonl
echo '{"v":1,"kind":"job","id":"p1","op":"add","photo":{"file_id":"f","caption":"sunset over the lake"},"text":"","llm":true}' >> in.jsonl
m2g-llm --base-url "$base" --model fake < in.jsonl > out.jsonl
python3 - out.jsonl <<'PY' || fail "titles did not land on the lines"
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1])]
jobs = {v["id"]: v for v in lines if v["kind"] == "job"}
assert len(jobs) == 51, len(jobs)
for i in range(1, 51):
    v = jobs["j%d" % i]
    assert v["title_source"] == "llm", v
    assert v["title"] == "Note %d about topic %d" % (i, i), v["title"]
    assert v["hashtags"][0] == "#note" and v["hashtags"][1].startswith("#t"), v["hashtags"]
    assert v["usage"]["prompt_tokens"] > 50 and v["usage"]["completion_tokens"] > 0, v
    assert v["text"] == "note %d about topic %d" % (i, i) and v["chat_id"] == 7
assert jobs["p1"]["title"] == "Sunset over the lake", jobs["p1"]
# Each job is preceded by its "title" then "titled" progress events.
pos = {}
for n, v in enumerate(lines):
    key = (v["id"], v["kind"], v.get("step"))
    assert key not in pos, key
    pos[key] = n
for id in jobs:
    a, b, c = pos[(id, "progress", "title")], pos[(id, "progress", "titled")], pos[(id, "job", None)]
    assert a < b < c, (id, a, b, c)
    ev = lines[a]
    assert ev["stage"] == "m2g-llm" and ev["pct"] == 40 and ev.get("chat_id") == jobs[id].get("chat_id"), ev
assert len(lines) == 51 * 3
PY
[ "$(fake_stat requests)" = 52 ] || fail "expected 51 requests and no retries, fake saw $(fake_stat requests)"
