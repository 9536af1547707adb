## --webhook :PORT listens on loopback (127.0.0.1) only; every interface takes an explicit
## 0.0.0.0:PORT. Proved with a second loopback address: 127.0.0.2 reaches a socket bound to
## 0.0.0.0 but not one bound to 127.0.0.1.
. "$M2G_SRC/tests/cli/common.sh"
. "$M2G_SRC/tests/cli/m2g-poll/fake.inc"
unset M2G_TELEGRAM_TOKEN
export M2G_POLL_SECRET_TOKEN=lo-secret
reaches() { python3 -c 'import socket,sys
s = socket.socket(); s.settimeout(5)
try:
    s.connect((sys.argv[1], int(sys.argv[2]))); print("yes")
except OSError:
    print("no")' "$1" "$2"; }
m2g-poll --webhook :0 --state s.db 2> err.txt &
pid=$!
track $pid
wait_for 10 grep -q "receiving webhook updates on" err.txt
grep -q "receiving webhook updates on 127.0.0.1:" err.txt || fail ":PORT should mean 127.0.0.1: $(cat err.txt)"
port=$(sed -n 's/.*receiving webhook updates on [^ ]*:\([0-9]*\) .*/\1/p' err.txt)
[ "$(reaches 127.0.0.1 "$port")" = yes ] || fail "not listening on 127.0.0.1"
[ "$(reaches 127.0.0.2 "$port")" = no ] || fail ":PORT listens beyond 127.0.0.1"
kill -TERM $pid
wait $pid || fail "SIGTERM should exit 0"
# Every interface, asked for by name.
m2g-poll --webhook 0.0.0.0:0 --state s.db 2> err2.txt &
pid=$!
track $pid
wait_for 10 grep -q "receiving webhook updates on 0.0.0.0:" err2.txt
port=$(sed -n 's/.*receiving webhook updates on [^ ]*:\([0-9]*\) .*/\1/p' err2.txt)
[ "$(reaches 127.0.0.2 "$port")" = yes ] || fail "0.0.0.0:PORT should listen on every address"
kill -TERM $pid
wait $pid || fail "SIGTERM should exit 0"
m2g-poll --help | grep -q "0.0.0.0:PORT" || fail "--help does not say how to listen on every address"
