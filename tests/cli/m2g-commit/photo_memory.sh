## --photo-memory bounds the photo bytes m2g-commit holds: 40 photos of 1 MB read at once from
## stdin, a 4 MB cap and batches of 3: input pauses each time the cap is passed (by one photo
## at most, never with all 40 MB in hand), resumes, and every photo is still committed.
## (Peak RSS is no judge here: libgit2's pack windows and malloc's high-water mark swamp it.)
. "$M2G_SRC/tests/cli/common.sh"
. "$M2G_SRC/tests/cli/m2g-commit/lib.bash"
command -v curl > /dev/null || skip "no curl"
new_remote remote.git
start_fake_telegram "424242:photo-memory-token"
for i in $(seq 1 40); do
  python3 -c '
import base64, json, sys
i = int(sys.argv[1])
data = bytes([i]) * (1 << 20)
print(json.dumps({"chat_id": 3, "data_base64": base64.b64encode(data).decode(), "width": 800, "height": 600}))' "$i" > body.json
  curl -sS -f -X POST "$TG_URL/control/photo" -H 'Content-Type: application/json' --data-binary @body.json |
    python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["file_id"])' >> ids.txt
done
n=0
while read -r id; do
  n=$((n + 1))
  printf '{"v":1,"kind":"job","id":"3:%s","op":"add","target":"note","file":"note.md","chat_id":3,"message_id":%s,"date":1732531200,"photo":{"file_id":"%s","file_unique_id":"U%s","file_size":1048576,"caption":"p%s"}}\n' "$n" "$n" "$id" "$n" "$n"
done < ids.txt > jobs.jsonl
[ "$(n_lines jobs.jsonl)" = 40 ] || fail "the fake Telegram did not take the photos"
m2g-commit --remote ./remote.git --telegram-api "$TG_URL" --photo-memory 4 --batch-max 3 --batch-ms 20ms \
  --log-level debug < jobs.jsonl > out.jsonl 2> err.txt || fail "m2g-commit failed: $(tail -5 err.txt)"
grep -o 'holding [0-9]* MB of photos: input paused' err.txt | awk '{print $2}' > held.txt
[ "$(n_lines held.txt)" -ge 2 ] || fail "input did not pause and resume: $(grep -c . err.txt) log lines"
[ "$(sort -n held.txt | tail -1)" -le 5 ] || fail "held $(sort -n held.txt | tail -1) MB of photos with a 4 MB cap"
[ "$(git -C remote.git ls-tree -r --name-only main | grep -c '^photos/')" = 40 ] || fail "not every photo was committed"
[ "$(grep -c '"kind":"result"' out.jsonl)" = 40 ] || fail "not every job has its result"
