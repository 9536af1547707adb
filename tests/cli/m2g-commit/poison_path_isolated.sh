## One chat's bad custom file name never costs another chat its notes: in a batch with notes of many chats, a
## file inside a file (README.md/x.md), a file where a folder is (docs.md) and, on GitHub, two paths the
## remote refuses although planning could not foresee it, each fail alone with an error that is not retried,
## while every other job is committed in the same run, without waiting out a retry. Judged with the git CLI,
## for the git backend (a real bare repository) and the github backend (the fake GitHub).
. "$M2G_SRC/tests/cli/common.sh"
. "$M2G_SRC/tests/cli/m2g-commit/lib.bash"
. "$M2G_SRC/tests/cli/m2g-commit/lib_fake.bash"

# jobs POISON...: notes of chats 1 to 4 (five each) and a new file of chat 5, with a custom file job of
# chat 7, 8, ... for each POISON name among them.
jobs() {
  python3 - "$@" <<'PY'
import json, sys
def job(chat, msg, **extra):
    line = {"v": 1, "kind": "job", "id": f"{chat}:{msg}", "op": "add", "target": "note", "chat_id": chat,
            "message_id": msg, "date": 1732531200 + msg, "text": f"chat {chat} message {msg}", "title": f"M{msg}"}
    line.update(extra)
    print(json.dumps(line))
poison = sys.argv[1:]
msg = 0
for round in range(5):
    for chat in (1, 2, 3, 4):
        msg += 1
        job(chat, msg)
    if round < len(poison):
        msg += 1
        job(7 + round, msg, target="custom", file=poison[round])
msg += 1
job(5, msg, target="custom", file="journal/day.md")
PY
}

# outcomes: "kind id retryable" of every answer in out.jsonl, sorted.
outcomes() {
  python3 -c '
import json
for l in open("out.jsonl"):
    d = json.loads(l)
    if d["kind"] in ("result", "error"):
        print(d["kind"], d["id"], d.get("retryable", ""))' | sort
}

# expect_outcomes POISON-IDS...: 21 results, and a non-retryable error for each POISON-ID.
expect_outcomes() {
  python3 - "$@" > want.txt <<'PY'
import sys
poison = set(sys.argv[1:])
lines = []
msg = 0
for round in range(5):
    for chat in (1, 2, 3, 4):
        msg += 1
        lines.append(f"result {chat}:{msg} ")
    if round < len(poison):
        msg += 1
        lines.append(f"error {7 + round}:{msg} False")
msg += 1
lines.append(f"result 5:{msg} ")
print("\n".join(sorted(lines)))
PY
  outcomes > got.txt
  test_cmp want.txt got.txt
}

# --- git backend, on a real bare repository
new_remote r.git
echo "# r" > readme.tmp
seed_remote r.git README.md readme.tmp
seed_remote r.git docs.md/a.md readme.tmp
before=$(git -C r.git rev-parse main)
jobs 'README.md/x.md' 'docs.md' > jobs.jsonl
m2g-commit --remote ./r.git --attempts 3 --log-level info < jobs.jsonl > out.jsonl 2> err.txt
expect_outcomes 7:5 8:10
grep -q "cannot write 'README.md/x.md': 'README.md' is a file in the repository, not a folder" out.jsonl ||
  fail "no clear reason for README.md/x.md: $(grep '"kind":"error"' out.jsonl)"
grep -q "cannot write 'docs.md': it is a folder in the repository" out.jsonl || fail "no clear reason for docs.md"
grep -q 'trying again' err.txt && fail "a batch was tried again: $(cat err.txt)"
check_once r.git note.md 20
show r.git journal/day.md | grep -q 'chat 5 message' || fail "chat 5's new file is missing"
[ "$(show r.git README.md)" = "# r" ] || fail "README.md changed"
git -C r.git ls-tree -r --name-only main > tree.txt
printf '%s\n' README.md docs.md/a.md journal/day.md note.md > want_tree.txt
test_cmp want_tree.txt tree.txt
[ "$(git -C r.git rev-list --count "$before..main")" = 1 ] || fail "wanted one commit for the batch"
git -C r.git fsck --strict --no-progress --no-dangling || fail "git fsck"

# --- github backend, on the fake GitHub; "bad name" is refused by the remote only when the tree is made
command -v curl > /dev/null || skip "no curl"
github_repo gh o r
echo "# r" > readme.tmp
seed_remote gh/o/r.git docs.md/a.md readme.tmp
before=$(git -C gh/o/r.git rev-parse main)
start_fake_github gh --writes-per-minute 1000 --refuse-path 'bad name'
export M2G_GITHUB_TOKEN=test-token
jobs 'README.md/x.md' 'bad name.md' 'docs.md' 'another bad name.md' > jobs.jsonl
m2g-commit --backend github --remote o/r --github-api "$FAKE_URL" --github-writes-per-minute 6000 --attempts 3 \
  --log-level info \
  < jobs.jsonl > out.jsonl 2> err.txt
expect_outcomes 7:5 8:10 9:15 10:20
grep -q "cannot write 'README.md/x.md': 'README.md' is a file in the repository, not a folder" out.jsonl ||
  fail "no clear reason for README.md/x.md (github): $(grep '"kind":"error"' out.jsonl)"
grep -q "cannot write 'docs.md': it is a folder in the repository" out.jsonl || fail "no clear reason for docs.md (github)"
[ "$(grep -c 'tree.path contains a malformed path component' out.jsonl)" = 2 ] ||
  fail "the remote's refusal is not the reason of both jobs it refused"
grep -q 'committing it in two parts' err.txt || fail "the refused batch was not split: $(cat err.txt)"
grep -q 'trying again' err.txt && fail "a batch was tried again: $(cat err.txt)"
check_once gh/o/r.git note.md 20
show gh/o/r.git journal/day.md | grep -q 'chat 5 message' || fail "chat 5's new file is missing (github)"
git -C gh/o/r.git ls-tree -r --name-only main > tree.txt
test_cmp want_tree.txt tree.txt
git -C gh/o/r.git fsck --strict --no-progress --no-dangling || fail "git fsck (github)"
true
