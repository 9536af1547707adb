## A chat's /repo pointing at a tarpit (a loopback server that accepts and never answers, or
## trickles a byte now and then) holds up nothing: the default repository's jobs still commit
## while every chat worker is stuck on it, the tarpit's jobs fail with a retryable error once
## their deadline (idle, or total for the trickle) passes, and a SIGTERM exits 0 at its drain
## deadline, leaving the stuck jobs retryable. Before, each worker waited forever.
. "$M2G_SRC/tests/cli/common.sh"
. "$M2G_SRC/tests/cli/m2g-commit/lib.bash"
export M2G_REPO_ALLOW_PRIVATE=1 # the tarpit is on loopback
cat > tarpit.py <<'PY'
import socket, sys, threading, time
mode = sys.argv[1]
listener = socket.socket()
listener.bind(("127.0.0.1", 0))
listener.listen(64)
print(listener.getsockname()[1], flush=True)
held = []
def trickle(sock):
    # A TLS record header announcing 16 KB, then one byte every half second: every read
    # gets something, so only a total deadline ends it.
    try:
        sock.sendall(b"\x16\x03\x03\x40\x00")
        while True:
            time.sleep(0.5)
            sock.sendall(b"\x00")
    except OSError:
        pass
while True:
    sock, _ = listener.accept()
    held.append(sock)
    print("accepted", file=sys.stderr, flush=True)
    if mode == "trickle":
        threading.Thread(target=trickle, args=(sock,), daemon=True).start()
PY
python3 tarpit.py silent > silent.port 2> silent.err &
track $!
python3 tarpit.py trickle > trickle.port 2> trickle.err &
track $!
wait_for 30 test -s silent.port
wait_for 30 test -s trickle.port
silent="https://127.0.0.1:$(head -1 silent.port)"
trickle="https://127.0.0.1:$(head -1 trickle.port)"

# at_least N PATTERN FILE: FILE has N lines matching PATTERN (for wait_for: counted on each try).
at_least() { [ "$(grep -c "$2" "$3")" -ge "$1" ]; }

# chat_jobs URL CHAT FIRST N: N jobs of CHAT whose repository is URL.
chat_jobs() {
  note_jobs "$4" "$3" note "$2" | python3 -c '
import json, sys
for l in sys.stdin:
    d = json.loads(l); d["repo"] = {"url": sys.argv[1]}; print(json.dumps(d))' "$1"
}

# 1. Six chats point at the silent tarpit (more than every worker of the stage), then the
# default repository's jobs come: they commit while the chats' batches hang.
new_remote remote.git
mkfifo feed
(
  sh -c 'echo $$ > pid; exec m2g-commit --remote ./remote.git --batch-ms 50ms --attempts 1 \
    --git-idle-timeout 10min --git-timeout 20min --drain-timeout 2s' < feed > out.jsonl 2> err.txt
  echo $? > rc
) &
track $!
exec 3> feed
for chat in 11 12 13 14 15 16; do chat_jobs "$silent/chat$chat/notes.git" $chat 1 1 >&3; done
wait_for 60 at_least 2 accepted silent.err
note_jobs 4 1 >&3
wait_for 120 at_least 4 '"kind":"result"' out.jsonl
check_once remote.git note.md 4
[ "$(grep -c '"kind":"error"' out.jsonl)" = 0 ] || fail "a tarpit batch ended before its 10 min deadline: $(cat out.jsonl)"

# 2. SIGTERM: the stuck batches are cut at the drain deadline, the stage exits 0, and every
# tarpit job is answered as retryable (a queue would keep it for the next run).
kill -TERM "$(cat pid)"
wait_for 120 test -s rc
exec 3>&-
[ "$(cat rc)" = 0 ] || fail "exit $(cat rc) after SIGTERM: $(tail -5 err.txt)"
python3 - out.jsonl <<'PY' || fail "the tarpit jobs were not left retryable"
import json, sys
errors = [json.loads(l) for l in open(sys.argv[1]) if '"kind":"error"' in l]
assert len(errors) == 6, errors
assert all(e["retryable"] for e in errors), errors
PY
grep -q 'drain deadline' err.txt || fail "the log does not say the drain deadline cut the batches"

# 3. Deadlines on their own: a silent server ends at the idle deadline, a trickling one (each
# read gets a byte) at the total deadline; both retryable, and the stage ends by itself.
{
  chat_jobs "$silent/idle/notes.git" 21 1 1
  chat_jobs "$trickle/slow/notes.git" 22 1 1
  note_jobs 2 10
} > deadlines.jsonl
m2g-commit --remote ./remote.git --attempts 1 --git-idle-timeout 2s --git-timeout 6s < deadlines.jsonl \
  > out2.jsonl 2> err2.txt || true
python3 - out2.jsonl <<'PY' || fail "deadlines did not end the tarpit batches: $(cat out2.jsonl)"
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1])]
errors = {l["chat_id"]: l for l in lines if l["kind"] == "error"}
assert set(errors) == {21, 22}, lines
assert all(e["retryable"] for e in errors.values()), errors
# The chat hears general words; the detail (which can map the network) stays in the log.
assert all("server's log" in e["reason"] for e in errors.values()), errors
assert sum(1 for l in lines if l["kind"] == "result") == 2, lines
PY
grep -q 'timed out after 2 s' err2.txt || fail "the log lacks the idle deadline: $(cat err2.txt)"
grep -q 'after 6 s' err2.txt || fail "the log lacks the total deadline: $(cat err2.txt)"
check_once remote.git note.md 6
