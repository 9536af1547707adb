## /todo and /issue are answered from the repository's current files with one sendMessage action: open items
## only, HTML escaped, each with a button whose callback data files the next job.
. "$M2G_SRC/tests/cli/common.sh"
. "$M2G_SRC/tests/cli/m2g-commit/lib.bash"
new_remote remote.git
head -c 32 /dev/urandom > key.bin
chmod 600 key.bin
{
  note_jobs 3 1 todo 5
  printf '%s\n' '{"v":1,"kind":"job","id":"5:2:done","op":"done","chat_id":5,"todo":{"message_id":2}}'
  printf '%s\n' '{"v":1,"kind":"job","id":"5:list_todo:1","op":"list_todo","chat_id":5,"message_id":9,"limit":10}'
  printf '%s\n' '{"v":1,"kind":"job","id":"5:list_issue:1","op":"list_issue","chat_id":5}'
} | M2G_KEY_FILE=key.bin m2g-commit --remote ./remote.git > out.jsonl
python3 - <<'PY' || fail "listing"
import json
actions = [json.loads(l) for l in open("out.jsonl") if json.loads(l)["kind"] == "action"]
assert len(actions) == 2, actions
todo, issue = actions
assert todo["id"] == "5:list_todo:1" and todo["method"] == "sendMessage" and todo["final"] is True
params = todo["params"]
assert params["chat_id"] == 5 and params["parse_mode"] == "HTML"
buttons = [row[0]["callback_data"] for row in params["reply_markup"]["inline_keyboard"]]
# Signed for chat 5 (route/button_mac.hpp): done:MESSAGE_ID:MAC, 22 characters of base64url.
assert [b.rsplit(":", 1)[0] for b in buttons] == ["done:3", "done:1"], buttons
assert all(len(b.rsplit(":", 1)[1]) == 22 for b in buttons), buttons
assert all(len(b.encode()) <= 64 for b in buttons)
assert "entry number 2" not in params["text"]
assert "No open issues" in issue["params"]["text"]
PY
