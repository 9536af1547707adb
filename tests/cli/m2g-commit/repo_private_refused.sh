## A chat's repository may not reach the operator's own network: a numeric loopback or private
## address is refused before any connection, a name that resolves to loopback (localhost) is
## refused at connect time on the address it resolved to (the server never sees a connection),
## an allow-list refuses every other host, and M2G_REPO_ALLOW_PRIVATE=1 lets loopback through.
## The chat gets general words for network failures ("Connection refused" vs "invalid SSL
## record" would map the network); the operator's log keeps the detail.
. "$M2G_SRC/tests/cli/common.sh"
. "$M2G_SRC/tests/cli/m2g-commit/lib.bash"
unset M2G_REPO_ALLOW_PRIVATE M2G_REPO_ALLOWED_HOSTS
cat > listener.py <<'PY'
import socket, sys
listener = socket.socket()
listener.bind(("127.0.0.1", 0))
listener.listen(64)
print(listener.getsockname()[1], flush=True)
while True:
    sock, _ = listener.accept()
    print("accepted", file=sys.stderr, flush=True)
    sock.close()
PY
python3 listener.py > port 2> accepted.txt &
track $!
wait_for 30 test -s port
port=$(head -1 port)
# A port nothing listens on: bind one, note it, close it.
closed=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

# job CHAT URL: one job of CHAT whose repository is URL.
job() {
  note_jobs 1 1 note "$1" | python3 -c '
import json, sys
for l in sys.stdin:
    d = json.loads(l); d["repo"] = {"url": sys.argv[1]}; print(json.dumps(d))' "$2"
}
new_remote remote.git
{
  job 1 "https://127.0.0.1:$port/me/notes.git"
  job 2 "https://[::1]:$port/me/notes.git"
  job 3 "https://169.254.169.254/latest/meta-data"
  job 4 "https://localhost:$port/me/notes.git"
  job 5 "https://127.1:$port/me/notes.git"
  note_jobs 1 1 note 9
} > jobs.jsonl
m2g-commit --remote ./remote.git --attempts 1 < jobs.jsonl > out.jsonl 2> err.txt || true
python3 - out.jsonl <<'PY' || fail "private addresses were not refused: $(cat out.jsonl)"
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1])]
errors = {l["chat_id"]: l for l in lines if l["kind"] == "error"}
assert set(errors) == {1, 2, 3, 4, 5}, lines
for chat, e in errors.items():
    assert "not allowed on this server" in e["reason"], e
    assert not e["retryable"], e
assert "loopback" in errors[4]["reason"], errors[4]
assert [l["chat_id"] for l in lines if l["kind"] == "result"] == [9], lines
PY
[ ! -s accepted.txt ] || fail "the loopback server saw $(grep -c accepted accepted.txt) connections from refused repositories"
grep -q 'not connecting to localhost at 127.0.0.1' err.txt || fail "the log does not say which address was refused: $(cat err.txt)"

# An allow-list: other hosts are refused before any connection or name lookup.
job 6 "https://github.com/me/notes.git" |
  M2G_REPO_ALLOWED_HOSTS=gitea.lan m2g-commit --remote ./remote.git --attempts 1 > listed.jsonl 2> listed.err || true
grep -q 'allowed hosts' listed.jsonl || fail "the allow-list was not applied: $(cat listed.jsonl)"

# M2G_REPO_ALLOW_PRIVATE=1: loopback is reached (the listener sees the connection); a port that
# refuses gives the chat general words, and only the log says "Connection refused".
{
  job 7 "https://localhost:$port/me/notes.git"
  job 8 "https://127.0.0.1:$closed/me/notes.git"
} | M2G_REPO_ALLOW_PRIVATE=1 m2g-commit --remote ./remote.git --attempts 1 > allowed.jsonl 2> allowed.err || true
[ -s accepted.txt ] || fail "with M2G_REPO_ALLOW_PRIVATE=1 the loopback server was not reached"
python3 - allowed.jsonl <<'PY' || fail "the chat saw libgit2's words: $(cat allowed.jsonl)"
import json, sys
errors = {l["chat_id"]: l for l in map(json.loads, open(sys.argv[1])) if l["kind"] == "error"}
assert set(errors) == {7, 8}, errors
for e in errors.values():
    assert "server's log" in e["reason"], e
    for leak in ("Connection refused", "SSL", "ssl", "certificate", "errno", "EOF"):
        assert leak not in e["reason"], (leak, e)
PY
grep -qi 'connection refused' allowed.err || fail "the operator's log lacks the detail: $(cat allowed.err)"
