## Drop mode: lines over the per-key or the global limit become rejection lines (bucket, key,
## retry_after_ms, the refused line, its shared fields) and go to --reject too; nothing vanishes.
. "$M2G_SRC/tests/cli/common.sh"
python3 - > in.jsonl <<'PY'
import json
for i in range(10):
    print(json.dumps({"v":1,"kind":"job","id":"a%d"%i,"chat_id":5,"user_id":42,"message_id":i,"text":"t"}, separators=(",", ":")))
print(json.dumps({"v":1,"kind":"job","id":"b0","chat_id":6,"user_id":43,"message_id":1}, separators=(",", ":")))
print(json.dumps({"v":1,"kind":"update","id":"nokey"}, separators=(",", ":")))
PY
m2g-limit --mode drop --per-key-rate 1 --per-key-burst 3 --rate 1000 --burst 1000 --reject rej.jsonl \
  < in.jsonl > out.jsonl 2> err.txt
[ "$(n_lines out.jsonl)" = 12 ] || fail "expected 12 output lines, got $(n_lines out.jsonl)"
[ "$(grep -c '"kind":"rejection"' out.jsonl)" = 7 ] || fail "expected 7 rejections"
python3 - <<'PY' || fail "rejection fields"
import json
out = [json.loads(l) for l in open("out.jsonl")]
src = {l["id"]: l for l in map(json.loads, open("in.jsonl"))}
admitted = [o["id"] for o in out if o["kind"] != "rejection"]
assert admitted == ["a0", "a1", "a2", "b0", "nokey"], admitted
for o in out:
    if o["kind"] != "rejection":
        assert o == src[o["id"]], o
        continue
    assert o["v"] == 1 and o["bucket"] == "key" and o["key"] == 42, o
    assert 0 < o["retry_after_ms"] <= 1000, o
    assert o["line"] == src[o["id"]], o
    for f in ("chat_id", "user_id", "message_id"):
        assert o[f] == src[o["id"]][f], (f, o)
    assert "42" in o["reason"] and "1/s" in o["reason"], o
    assert isinstance(o["ts"], int)
PY
# The reject file holds the refused lines, byte for byte.
grep '"id":"a[3-9]"' in.jsonl > expected_rej.jsonl
test_cmp expected_rej.jsonl rej.jsonl
[ ! -s err.txt ] || fail "rate refusals are not warnings: $(cat err.txt)"

# The global bucket: 3 distinct users, global burst 2.
printf '%s\n' '{"v":1,"kind":"job","id":"x","user_id":1}' '{"v":1,"kind":"job","id":"y","user_id":2}' \
  '{"v":1,"kind":"job","id":"z","user_id":3}' | m2g-limit --mode drop --rate 0.5 --burst 2 > g.jsonl
python3 - <<'PY' || fail "global rejection: $(cat g.jsonl)"
import json
out = [json.loads(l) for l in open("g.jsonl")]
assert [o["kind"] for o in out] == ["job", "job", "rejection"]
assert out[2]["bucket"] == "global" and out[2]["key"] == 3 and 1900 <= out[2]["retry_after_ms"] <= 2000, out[2]
PY
