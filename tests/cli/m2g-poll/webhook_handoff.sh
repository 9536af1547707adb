## Webhook mode answers 200 only after the durable handoff: while the queue database is locked
## by another process the request waits, and its 200 comes once the line is committed; with a
## pipe, once the line is written to it (a full pipe holds the answer back).
. "$M2G_SRC/tests/cli/common.sh"
. "$M2G_SRC/tests/cli/m2g-poll/fake.inc"
unset M2G_TELEGRAM_TOKEN
export M2G_POLL_SECRET_TOKEN=abc
m2g-poll --webhook 127.0.0.1:0 --out "sqlite:q.db#updates" 2> err.txt &
pid=$!
track $pid
wait_for 10 grep -q "receiving webhook updates on" err.txt
port=$(sed -n 's/.*receiving webhook updates on 127.0.0.1:\([0-9]*\).*/\1/p' err.txt)
# Hold the database's write lock for 2 s from another process.
python3 - <<'PY' &
import sqlite3, time
c = sqlite3.connect("q.db", isolation_level=None)
c.execute("BEGIN IMMEDIATE")
open("locked", "w").close()
time.sleep(2)
c.execute("COMMIT")
PY
locker=$!
wait_for 10 test -f locked
start=$(date +%s.%N)
code=$(curl -s -o /dev/null -w '%{http_code}' -H 'X-Telegram-Bot-Api-Secret-Token: abc' \
  -d '{"update_id":1,"message":{"message_id":1,"date":1,"chat":{"id":1,"type":"private"},"text":"x"}}' \
  "http://127.0.0.1:$port/")
end=$(date +%s.%N)
wait $locker
[ "$code" = 200 ] || fail "expected 200, got $code"
python3 -c "import sys; assert float(sys.argv[2]) - float(sys.argv[1]) >= 1.5" "$start" "$end" ||
  fail "answered 200 while the database was locked"
[ "$(queue_count q.db updates)" = 1 ] || fail "the line is not in the queue"
kill -TERM $pid
wait $pid || fail "SIGTERM should exit 0"

# Pipe output: a reader that reads only once told to, and an update bigger than the pipe buffer.
rm -f err.txt
{ m2g-poll --webhook 127.0.0.1:0 --state state.db 2> err.txt & echo $! > poll.pid; wait $!; } |
  { while [ ! -f go ]; do sleep 0.05; done; cat > out.jsonl; } &
pipeline=$!
wait_for 10 test -s poll.pid
track "$(cat poll.pid)"
wait_for 10 grep -q "receiving webhook updates on" err.txt
port=$(sed -n 's/.*receiving webhook updates on 127.0.0.1:\([0-9]*\).*/\1/p' err.txt)
python3 -c 'import json; print(json.dumps({"update_id": 2, "message": {"message_id": 1, "date": 1,
  "chat": {"id": 1, "type": "private"}, "text": "y" * 300000}}))' > big.json
curl -s -o /dev/null -w '%{http_code}' -H 'X-Telegram-Bot-Api-Secret-Token: abc' --data-binary @big.json \
  "http://127.0.0.1:$port/" > code.txt &
post=$!
sleep 1.5
[ ! -s code.txt ] || fail "answered $(cat code.txt) before the pipe took the line"
touch go
wait $post
[ "$(cat code.txt)" = 200 ] || fail "expected 200 once the reader read, got $(cat code.txt)"
kill -TERM "$(cat poll.pid)"
wait $pipeline
[ "$(json_field out.jsonl update_id)" = 2 ] || fail "line not written"
