## Photos: the bytes come from Telegram's getFile and file download (m2g-bench fake telegram) and are committed
## under photos/YYYY/MM/<file_unique_id>.<ext>, linked from the entry; a photo over --photo-limit is refused
## with a clear error whether the job or getFile reveals its size, one past Telegram's 20 MB download limit too,
## and the other jobs go on.
. "$M2G_SRC/tests/cli/common.sh"
. "$M2G_SRC/tests/cli/m2g-commit/lib.bash"
command -v curl > /dev/null || skip "no curl"
new_remote remote.git
start_fake_telegram "424242:SECRET-commit-token-Pq7"
# inject NAME SIZE-OR-PATTERN: a person sends a photo; prints "file_id file_unique_id".
inject() {
  python3 -c '
import base64, json, sys
data = (b"\xff\xd8small-jpeg" * 1000) if sys.argv[1] == "small" else b"x" * int(sys.argv[1])
print(json.dumps({"chat_id": 3, "data_base64": base64.b64encode(data).decode(), "width": 800, "height": 600}))' "$1" > body.json
  curl -sS -f -X POST "$TG_URL/control/photo" -H 'Content-Type: application/json' --data-binary @body.json |
    python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["file_id"], d["file_unique_id"])'
}
read -r small_id _ < <(inject small)
read -r six_id _ < <(inject $((6 << 20)))
read -r huge_id _ < <(inject $((21 << 20)))
[ -n "$small_id" ] && [ -n "$six_id" ] && [ -n "$huge_id" ] || fail "the fake Telegram did not take the photos"
photo_job() {  # message id, file id, announced size, caption
  printf '{"v":1,"kind":"job","id":"3:%s","op":"add","target":"note","file":"note.md","chat_id":3,"message_id":%s,"date":1732531200,"photo":{"file_id":"%s","file_unique_id":"U%s","file_size":%s,"caption":"%s"}}\n' "$1" "$1" "$2" "$1" "$3" "$4"
}
{
  photo_job 1 "$small_id" 10000 'Sunset'
  photo_job 2 "$small_id" 20971520 'announced too big'
  photo_job 3 "$six_id" 0 'getFile says too big'
  photo_job 4 "$huge_id" 0 'past what Telegram serves'
  note_jobs 1 5 note 3
} > jobs.jsonl
m2g-commit --remote ./remote.git --telegram-api "$TG_URL" --photo-limit 5 < jobs.jsonl > out.jsonl 2> err.txt
cmp <(git -C remote.git show "main:photos/2024/11/U1.jpg") <(python3 -c 'import sys; sys.stdout.buffer.write(b"\xff\xd8small-jpeg" * 1000)') ||
  fail "the photo's bytes are not in the repository"
show remote.git note.md | grep -qx '!\[Sunset\](photos/2024/11/U1.jpg)' || fail "the entry does not link the photo"
grep -q '"id":"3:2".*the photo is 20.0 MB, over the 5.0 MB limit' out.jsonl || fail "an announced 20 MB photo was not refused clearly: $(grep error out.jsonl)"
grep -q '"id":"3:3".*the photo is 6.0 MB, over the 5.0 MB limit' out.jsonl || fail "a photo getFile shows too big was not refused"
grep -q "\"id\":\"3:4\".*over Telegram's 20 MB download limit" out.jsonl || fail "a photo Telegram will not serve was not refused clearly: $(grep '3:4' out.jsonl)"
check_once remote.git note.md 2
[ "$(git -C remote.git ls-tree -r --name-only main | grep -c '^photos/')" = 1 ] || fail "a refused photo was committed"
grep -q SECRET-commit-token out.jsonl err.txt && fail "the bot token leaked"
true
