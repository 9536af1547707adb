## 1,000 injected messages come out as 1,000 update lines with the right fields, in order.
. "$M2G_SRC/tests/cli/common.sh"
. "$M2G_SRC/tests/cli/m2g-poll/fake.inc"
start_fake
for i in $(seq 1 20); do control message "{\"chat_id\":$((100 + i % 3)),\"text\":\"hello $i\"}" > /dev/null; done
control bulk '{"count":980,"prefix":"bulk","first_chat_id":7,"chats":10}' > /dev/null
poll --timeout 1 --state state.db > out.jsonl 2> err.txt &
pid=$!
track $pid
wait_for 30 sh -c '[ "$(wc -l < out.jsonl)" -ge 1000 ]'
# The next poll carries the new offset, which confirms the last batch: the fake forgets it.
pending() { [ "$(control_get stats | json_get pending_updates)" = 0 ]; }
wait_for 10 pending
kill -TERM $pid
code=0; wait $pid || code=$?
[ "$code" = 0 ] || fail "SIGTERM should exit 0, got $code: $(cat err.txt)"
python3 - <<'PY' || fail "wrong lines"
import json
lines = [json.loads(l) for l in open("out.jsonl")]
assert len(lines) == 1000, len(lines)
for n, l in enumerate(lines, 1):
    assert l["v"] == 1 and l["kind"] == "update" and l["type"] == "message", l
    assert l["update_id"] == n and l["id"] == "tg:%d" % n, l
    assert isinstance(l["t0"], int) and l["t0"] == l["ts"] and l["t0"] > 1.6e12, l
    assert l["chat_type"] == "private" and l["user_id"] == l["chat_id"], l
    assert isinstance(l["message_id"], int) and isinstance(l["date"], int), l
    assert l["from"]["first_name"], l
    if n <= 20:
        assert l["text"] == "hello %d" % n and l["chat_id"] == 100 + n % 3, l
    else:
        assert l["text"] == "bulk %d" % (n - 20) and l["chat_id"] == 7 + (n - 21) % 10, l
PY
