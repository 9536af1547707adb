## With the default limits (1 call per second into a chat, 30 per second overall) m2g-progress
## never makes the fake's Telegram limiter answer 429: 8 actions into one chat, and a status
## message with progress and a result in each of 100 chats (far beyond a 30/s burst at once),
## all go through on the first try; every call the fake received is a message or an edit
## that it shows. The fake allows some slack for delays on a loaded machine (chat bursts of 3,
## a global burst of 60): without our limits 100 chats at once would still be refused.
. "$M2G_SRC/tests/cli/common.sh"
. "$M2G_SRC/tests/cli/m2g-progress/fake.inc"
start_fake_telegram --chat-rate 1 --chat-burst 3 --global-rate 30 --global-burst 60
person_says 77 "hi" > /dev/null
control POST bulk '{"count":100,"chats":100,"first_chat_id":2000,"prefix":"m"}' > /dev/null
{
  for i in 1 2 3 4 5 6 7 8; do
    echo "{\"v\":1,\"kind\":\"action\",\"id\":\"a$i\",\"method\":\"sendMessage\",\"params\":{\"chat_id\":77,\"text\":\"answer $i\"}}"
  done
  for c in $(seq 2000 2099); do
    base="\"v\":1,\"id\":\"$c:1\",\"chat_id\":$c,\"message_id\":1"
    echo "{$base,\"kind\":\"progress\",\"stage\":\"m2g-route\",\"step\":\"queued\"}"
    echo "{$base,\"kind\":\"progress\",\"stage\":\"m2g-llm\",\"step\":\"title\",\"pct\":40}"
    echo "{$base,\"kind\":\"result\",\"file\":\"note.md\"}"
  done
} > in.jsonl
m2g-progress < in.jsonl > out.jsonl 2> err.txt || fail "exit $?: $(cat err.txt)"
test_cmp in.jsonl out.jsonl
control GET stats > stats.json
python3 -c 'import json, sys, urllib.request
for c in [77] + list(range(2000, 2100)):
    print(urllib.request.urlopen("%s/control/chat?chat_id=%d" % (sys.argv[1], c)).read().decode())' "$FAKE_URL" > chats.jsonl
python3 - stats.json chats.jsonl <<'PY' || fail "limits not respected: $(cat err.txt)"
import json, sys
requests = json.load(open(sys.argv[1]))["requests"]
chats = [json.loads(l) for l in open(sys.argv[2]) if l.strip()]
shown = sum(1 + len(m["edits"]) for c in chats for m in c["messages"])
calls = requests.get("sendMessage", 0) + requests.get("editMessageText", 0)
assert calls == shown, "%d calls but %d messages and edits shown: %d refused" % (calls, shown, calls - shown)
one = chats[0]["messages"]
assert [m["text"] for m in one] == ["answer %d" % i for i in range(1, 9)], one
for c in chats[1:]:
    assert len(c["messages"]) == 1 and c["messages"][0]["text"].startswith("✅"), c
PY
grep -q ' 0 rate-limited' err.txt || fail "m2g-progress saw 429s: $(cat err.txt)"
