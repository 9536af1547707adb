# Helpers for the m2g-commit CLI tests (sourced after common.sh; not a test itself).

# new_remote DIR: an empty bare repository whose default branch is main.
new_remote() { git init -q --bare -b main "$1"; }

# seed_remote DIR FILE CONTENT-FILE: commit CONTENT-FILE as FILE on main of the remote DIR.
seed_remote() {
  local remote=$1 file=$2 content=$3 work
  work=$(mktemp -d seed-XXXXXX)
  git clone -q "$remote" "$work" 2>/dev/null
  mkdir -p "$work/$(dirname "$file")"
  cp "$content" "$work/$file"
  git -C "$work" add -A
  git -C "$work" -c user.name=seed -c user.email=seed@example.com commit -q -m "seed $file"
  git -C "$work" push -q origin HEAD:main
  rm -rf "$work"
}

# show REMOTE FILE: the file at the tip of main.
show() { git -C "$1" show "main:$2"; }

# note_jobs N [FIRST] [TARGET] [CHAT]: N add jobs for message ids FIRST.. (default 1), on stdout.
note_jobs() {
  python3 - "$1" "${2:-1}" "${3:-note}" "${4:-1}" <<'PY'
import json, sys
n, first, target, chat = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], int(sys.argv[4])
for m in range(first, first + n):
    print(json.dumps({"v": 1, "kind": "job", "id": f"{chat}:{m}", "op": "add", "target": target,
                      "chat_id": chat, "message_id": m, "date": 1732531200 + m, "text": f"entry number {m}",
                      "title": f"Entry {m}"}))
PY
}

# count_markers REMOTE FILE: how many entry markers the file has, and fail on any id seen twice.
check_once() {
  local remote=$1 file=$2 want=$3
  show "$remote" "$file" | python3 -c '
import re, sys
want = int(sys.argv[1])
ids = re.findall(r"^<!--\[(\d+)\] \[(-?\d+)\]", sys.stdin.read(), re.M)
dups = len(ids) - len(set(ids))
assert dups == 0, f"{dups} entries written twice"
assert len(ids) == want, f"{len(ids)} entries, wanted {want}"
' "$want" || fail "$file does not hold each of the $want entries exactly once"
}

# start_fake_telegram TOKEN: exports M2G_TELEGRAM_TOKEN, starts m2g-bench's fake Telegram on a
# free port and sets TG_URL to it (the photo tests upload through its /control/photo).
start_fake_telegram() {
  export M2G_TELEGRAM_TOKEN=$1
  m2g-bench fake telegram --port 0 --token "$M2G_TELEGRAM_TOKEN" > tg.port 2> tg.err &
  track $!
  wait_for 30 test -s tg.port
  TG_URL="http://127.0.0.1:$(head -1 tg.port)"
}
