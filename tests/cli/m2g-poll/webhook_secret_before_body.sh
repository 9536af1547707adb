## The secret header is checked as soon as a request's head is parsed: a request with a wrong
## (or no) X-Telegram-Bot-Api-Secret-Token announcing a 1 MiB body is answered 401 and closed
## without the body ever being sent, so strangers cannot make m2g-poll buffer their uploads.
. "$M2G_SRC/tests/cli/common.sh"
. "$M2G_SRC/tests/cli/m2g-poll/fake.inc"
unset M2G_TELEGRAM_TOKEN
export M2G_POLL_SECRET_TOKEN=head-secret
start_webhook --out "sqlite:q.db#updates"
head_only() { python3 - "$WEBHOOK_PORT" "$1" <<'PY'
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
secret = sys.argv[2]
header = b"" if secret == "-" else b"X-Telegram-Bot-Api-Secret-Token: " + secret.encode() + b"\r\n"
s.sendall(b"POST /tg HTTP/1.1\r\nHost: x\r\n" + header + b"Content-Length: 1048576\r\n\r\n")
s.settimeout(20)  # generous: the answer comes at once, or (the old way) never before the body
answer = b""
try:
    while True:
        chunk = s.recv(4096)
        if not chunk:
            break
        answer += chunk
except socket.timeout:
    print("no answer before the body", flush=True)
    sys.exit(0)
except OSError:
    pass
print(answer.split(b"\r\n")[0].decode() or "closed without an answer", flush=True)
PY
}
[ "$(head_only wrong)" = "HTTP/1.1 401 Unauthorized" ] || fail "a wrong secret was not refused before the body"
[ "$(head_only -)" = "HTTP/1.1 401 Unauthorized" ] || fail "a missing secret was not refused before the body"
# The right secret is let through to read the body (which here never comes): no early answer.
python3 - "$WEBHOOK_PORT" > right.txt <<'PY'
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
s.sendall(b"POST /tg HTTP/1.1\r\nHost: x\r\nX-Telegram-Bot-Api-Secret-Token: head-secret\r\n"
          b"Content-Length: 10\r\n\r\n")
s.settimeout(1)
try:
    print("answered early:", s.recv(4096)[:40])
except socket.timeout:
    print("waiting for the body")
PY
grep -q "waiting for the body" right.txt || fail "the right secret was answered before its body: $(cat right.txt)"
[ "$(post_update head-secret "$(update_json 6 ok)")" = 200 ] || fail "a real update was not taken"
[ "$(queue_count q.db updates)" = 1 ] || fail "the real update is not in the queue"
kill -TERM "$WEBHOOK_PID"
wait "$WEBHOOK_PID" || fail "SIGTERM should exit 0"
