## Credentials belong to the job: chat B names chat A's repository (and the operator's) without a token of
## its own, and its notes, its /todo listing and its attempt to close A's issue all fail on their own, with
## no token tried but none; A's jobs, sent after B's, are committed with A's token; the default repository
## keeps the operator's. The fake GitHub lets each token reach only its own repository and records
## which token every write carried.
. "$M2G_SRC/tests/cli/common.sh"
. "$M2G_SRC/tests/cli/m2g-commit/lib.bash"
. "$M2G_SRC/tests/cli/m2g-commit/lib_fake.bash"
command -v curl > /dev/null || skip "no curl"
command -v sqlite3 > /dev/null || skip "no sqlite3"
github_repo gh a notes
github_repo gh o r
tok_a=ghp_chatAtokenForTheTokenPerChatTest01
tok_op=ghp_operatorTokenForTheTokenPerChat02
start_fake_github gh --writes-per-minute 1000 --grant "$tok_a=a/notes" --grant "$tok_op=o/r"
# Chat 42 stored its repository and token with m2g-route, as /repo URL TOKEN does.
head -c 32 /dev/urandom > key
chmod 600 key
printf '%s\n' "{\"v\":1,\"kind\":\"update\",\"id\":\"tg:1\",\"update_id\":1,\"type\":\"message\",\"chat_id\":42,\"user_id\":7,\"message_id\":10,\"date\":1732531200,\"chat_type\":\"private\",\"text\":\"/repo https://github.com/a/notes $tok_a\",\"t0\":1732531200000}" |
  M2G_KEY_FILE=key m2g-route --allowed-chats 42 --db s.db > /dev/null 2> route.err || fail "m2g-route: $(cat route.err)"
[ "$(sqlite3 s.db 'SELECT count(*) FROM chat_settings WHERE chat_id = 42 AND repo_token IS NOT NULL')" = 1 ] ||
  fail "chat 42's token was not stored"
python3 - > jobs.jsonl <<'PY'
import json
A = {"url": "https://github.com/a/notes", "token": True}     # chat 42, its own token
B = {"url": "https://github.com/a/notes"}                    # chat 43 names A's repository, no token
B_OP = {"url": "https://github.com/o/r"}                     # chat 43 names the operator's repository
def job(chat, msg, repo=None, **extra):
    line = {"v": 1, "kind": "job", "id": f"{chat}:{msg}", "op": "add", "target": "note", "chat_id": chat,
            "message_id": msg, "date": 1732531200 + msg, "text": f"chat {chat} message {msg}", "title": f"M{msg}"}
    if repo:
        line["repo"] = repo
    line.update(extra)
    print(json.dumps(line))
job(43, 1, B)                                               # B's note comes first
job(42, 2, A, op="issue", target="issue", file="issue.md")  # A opens issue #1 in its repository
job(43, 3, B, op="close", target="issue", issue={"number": 1})
job(43, 4, B, op="list_todo", limit=10)
for m in (5, 6, 7):
    job(42, m, A)
job(43, 8, B_OP)
job(1, 9)                                                   # the operator's default repository
job(43, 10, B)
PY
export M2G_GITHUB_TOKEN=$tok_op
m2g-commit --backend github --remote o/r --github-api "$FAKE_URL" --settings-db s.db --key-file key \
  --batch-ms 500 < jobs.jsonl > out.jsonl 2> err.txt
results() { python3 -c '
import json, sys
for l in open("out.jsonl"):
    d = json.loads(l)
    if d["kind"] in ("result", "error", "action"):
        print(d["kind"], d["id"], d.get("retryable", ""))' | sort -u; }
results > got.txt
cat > want.txt <<'EOF'
error 43:1 False
error 43:10 False
error 43:3 False
error 43:4 False
error 43:8 False
result 1:9 
result 42:2 
result 42:5 
result 42:6 
result 42:7 
EOF
test_cmp want.txt got.txt
# Judged on the repositories themselves.
[ "$(show gh/a/notes.git note.md | grep -c '^<!--\[[0-9]*\] \[42\]')" = 3 ] || fail "A's notes are not all in A's repository"
show gh/a/notes.git note.md | grep -q '\[43\]' && fail "chat 43 wrote into chat 42's repository"
show gh/o/r.git note.md | grep -q '\[43\]' && fail "chat 43 wrote into the operator's repository"
show gh/o/r.git note.md | grep -q '^<!--\[9\] \[1\]' || fail "the default repository lost the operator's note"
show gh/a/notes.git issue.md | grep -q '🟢 a/notes#1 ' || fail "A's issue is not recorded open"
state=$(curl -s -H "Authorization: Bearer $tok_a" "$FAKE_URL/repos/a/notes/issues/1" |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["state"])')
[ "$state" = open ] || fail "chat 43 closed chat 42's issue"
# Every write carried the token of its own repository's owner.
curl -s "$FAKE_URL/_fake/writes" | python3 -c '
import json, sys
want = {"a/notes": sys.argv[1], "o/r": sys.argv[2]}
writes = json.load(sys.stdin)
assert writes, "no writes recorded"
for w in writes:
    repo = "/".join(w["path"].split("/")[2:4])
    assert w["token"] == want[repo], w["method"] + " " + w["path"] + " carried another token"
' "$tok_a" "$tok_op" || fail "a write carried someone else's token"
grep -q 'no token' out.jsonl || fail "B's errors do not say that it stored no token: $(grep '"kind":"error"' out.jsonl)"
grep -q -e "$tok_a" -e "$tok_op" out.jsonl err.txt && fail "a token leaked"
true
