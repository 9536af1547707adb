## Connections beyond --webhook-max-connections-per-peer from one address are closed at once,
## while the held ones stay open and other addresses are still served: one client cannot take
## every slot. The flooder connects from 127.0.0.2, real updates come from 127.0.0.1.
. "$M2G_SRC/tests/cli/common.sh"
. "$M2G_SRC/tests/cli/m2g-poll/fake.inc"
unset M2G_TELEGRAM_TOKEN
export M2G_POLL_SECRET_TOKEN=cap-secret
start_webhook --out "sqlite:q.db#updates" --webhook-max-connections-per-peer 4
python3 - "$WEBHOOK_PORT" > flood.txt 2>&1 <<'PY' &
import socket, sys, time
port = int(sys.argv[1])
held = []
for _ in range(12):
    s = socket.socket()
    s.bind(("127.0.0.2", 0))
    s.connect(("127.0.0.1", port))
    held.append(s)
    time.sleep(0.05)  # accepted in order: the first four are the ones kept
# A closed connection reads EOF (or a reset); an open one times out waiting.
def closed(s):
    s.settimeout(3)
    try:
        return s.recv(1) == b""
    except socket.timeout:
        return False
    except OSError:
        return True
states = ["closed" if closed(s) else "open" for s in held]
print(" ".join(states), flush=True)
open("flood.done", "w").close()
time.sleep(30)  # keep the open ones held while the test posts a real update
PY
flooder=$!
track $flooder
wait_for 60 test -f flood.done
read -r -a states < flood.txt
open=0; closed=0
for s in "${states[@]}"; do [ "$s" = open ] && open=$((open + 1)); [ "$s" = closed ] && closed=$((closed + 1)); done
[ "$open" = 4 ] || fail "expected 4 connections held from 127.0.0.2, got: ${states[*]}"
[ "$closed" = 8 ] || fail "expected 8 connections over the cap closed, got: ${states[*]}"
# Another address is still served while 127.0.0.2 holds its four.
[ "$(post_update cap-secret "$(update_json 5 real)")" = 200 ] || fail "a real update was not taken"
[ "$(queue_count q.db updates)" = 1 ] || fail "the real update is not in the queue"
grep -q "per-peer cap" webhook.err || fail "the refusals were not logged: $(cat webhook.err)"
kill $flooder
kill -TERM "$WEBHOOK_PID"
wait "$WEBHOOK_PID" || fail "SIGTERM should exit 0"
