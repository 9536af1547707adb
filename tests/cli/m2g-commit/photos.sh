## Photos: the bytes come from Telegram's getFile and file download (a loopback fake here) and are committed
## under photos/YYYY/MM/<file_unique_id>.<ext>, linked from the entry; a photo over --photo-limit is refused
## with a clear error whether the job, getFile or the download reveals its size, and other jobs go on.
. "$M2G_SRC/tests/cli/common.sh"
. "$M2G_SRC/tests/cli/m2g-commit/lib.bash"
new_remote remote.git
# A fake Telegram Bot API: getFile and /file/bot<token>/<path>, for three files.
cat > fake_telegram.py <<'PY'
import http.server, json, sys, urllib.parse
files = {"small": (b"\xff\xd8small-jpeg" * 1000, True), "big": (b"x" * (20 << 20), True), "quiet": (b"y" * (6 << 20), False)}
class H(http.server.BaseHTTPRequestHandler):
    def log_message(self, *a): pass
    def do_GET(self):
        u = urllib.parse.urlparse(self.path)
        if u.path == "/botTOKEN/getFile":
            fid = urllib.parse.parse_qs(u.query)["file_id"][0]
            data, announce = files[fid]
            result = {"file_id": fid, "file_unique_id": "U" + fid, "file_path": f"photos/file_{fid}.JPG"}
            if announce: result["file_size"] = len(data)
            body = json.dumps({"ok": True, "result": result}).encode()
        elif u.path.startswith("/file/botTOKEN/photos/file_"):
            body = files[u.path.split("file_")[1].split(".")[0]][0]
        else:
            self.send_response(404); self.end_headers(); return
        self.send_response(200); self.send_header("Content-Length", str(len(body))); self.end_headers(); self.wfile.write(body)
s = http.server.ThreadingHTTPServer(("127.0.0.1", 0), H)
print(s.server_address[1], flush=True)
s.serve_forever()
PY
python3 fake_telegram.py > tg.port &
track $!
wait_for 20 test -s tg.port
export M2G_TELEGRAM_TOKEN=TOKEN
photo_job() {  # message id, file id, announced size, caption
  printf '{"v":1,"kind":"job","id":"3:%s","op":"add","target":"note","file":"note.md","chat_id":3,"message_id":%s,"date":1732531200,"photo":{"file_id":"%s","file_unique_id":"U%s","file_size":%s,"caption":"%s"}}\n' "$1" "$1" "$2" "$2" "$3" "$4"
}
{
  photo_job 1 small 10000 'Sunset'
  photo_job 2 big 20971520 'announced too big'
  photo_job 3 big 0 'getFile says too big'
  photo_job 4 quiet 0 'only the download shows it'
  note_jobs 1 5 note 3
} > jobs.jsonl
m2g-commit --remote ./remote.git --telegram-api "http://127.0.0.1:$(head -1 tg.port)" --photo-limit 5 \
  < jobs.jsonl > out.jsonl 2> err.txt
cmp <(git -C remote.git show main:photos/2024/11/Usmall.jpg) <(python3 -c 'import sys; sys.stdout.buffer.write(b"\xff\xd8small-jpeg" * 1000)') ||
  fail "the photo's bytes are not in the repository"
show remote.git note.md | grep -qx '!\[Sunset\](photos/2024/11/Usmall.jpg)' || fail "the entry does not link the photo"
[ "$(grep -c 'the photo is 20.0 MB, over the 5.0 MB limit' out.jsonl)" = 2 ] || fail "20 MB photos not refused clearly: $(grep error out.jsonl)"
grep -q 'the photo is 6.0 MB, over the 5.0 MB limit' out.jsonl || fail "an unannounced big photo was not refused"
check_once remote.git note.md 2
[ "$(git -C remote.git ls-tree -r --name-only main | grep -c '^photos/')" = 1 ] || fail "a refused photo was committed"
grep -q TOKEN out.jsonl err.txt && fail "the bot token leaked"
true
