## Slowloris: a client that trickles its request one byte a second (so the idle timer never
## fires) is cut off by the whole-request deadline (--webhook-request-timeout), while a real
## update sent meanwhile still gets through. Margins are generous: the deadline is 2 s and the
## trickle would take minutes.
. "$M2G_SRC/tests/cli/common.sh"
. "$M2G_SRC/tests/cli/m2g-poll/fake.inc"
unset M2G_TELEGRAM_TOKEN
export M2G_POLL_SECRET_TOKEN=slow-secret
start_webhook --out "sqlite:q.db#updates" --webhook-request-timeout 2s
# The trickler writes "cut after N bytes" when the server closes on it, "never cut" if it
# could send its whole 200-byte request.
python3 - "$WEBHOOK_PORT" > trickle.txt 2>&1 <<'PY' &
import socket, sys, time
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
body = b'{"update_id":1,"message":{"message_id":1,"date":1,"chat":{"id":1,"type":"private"},"text":"slow"}}'
request = (b"POST /tg HTTP/1.1\r\nHost: x\r\nX-Telegram-Bot-Api-Secret-Token: slow-secret\r\n"
           b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body)
open("trickling", "w").close()
for i, byte in enumerate(request):
    try:
        s.sendall(bytes([byte]))
        s.settimeout(1.0)
        if s.recv(4096, socket.MSG_PEEK) == b"":
            raise ConnectionResetError
    except socket.timeout:
        continue
    except OSError:
        print("cut after", i + 1, "bytes", flush=True)
        sys.exit(0)
    # Data arrived (the 408): read it, then the close follows.
    answer = s.recv(4096)
    print("answered", answer.split(b"\r\n")[0].decode(), "after", i + 1, "bytes", flush=True)
    sys.exit(0)
print("never cut", flush=True)
PY
trickler=$!
track $trickler
wait_for 10 test -f trickling
# A real update gets through while the trickler holds its connection.
[ "$(post_update slow-secret "$(update_json 2 real)")" = 200 ] || fail "a real update was not taken during the trickle"
# The deadline is 2 s; the trickle needs ~200 s. Allow 60 s before calling it a failure.
wait_for 60 grep -q "cut after\|answered" trickle.txt
grep -q "never cut" trickle.txt && fail "the trickler was never cut off"
kill -0 "$WEBHOOK_PID" 2> /dev/null || fail "m2g-poll died"
[ "$(post_update slow-secret "$(update_json 3 after)")" = 200 ] || fail "no update taken after the trickle"
[ "$(queue_count q.db updates)" = 2 ] || fail "expected the two real updates, got $(queue_count q.db updates)"
kill -TERM "$WEBHOOK_PID"
wait "$WEBHOOK_PID" || fail "SIGTERM should exit 0: $(tail -3 webhook.err)"
