## End to end in webhook mode: the fake (with setWebhook and a secret) POSTs injected updates to
## m2g-poll --webhook, which stores them in the queue; a request the fake sends with a wrong
## secret is refused and retried until the secret is right, then stored once.
. "$M2G_SRC/tests/cli/common.sh"
. "$M2G_SRC/tests/cli/m2g-poll/fake.inc"
start_fake
export M2G_POLL_SECRET_TOKEN=right_secret
m2g-poll --webhook 127.0.0.1:0 --out "sqlite:q.db#updates" 2> err.txt &
pid=$!
track $pid
wait_for 10 grep -q "receiving webhook updates on" err.txt
port=$(sed -n 's/.*receiving webhook updates on 127.0.0.1:\([0-9]*\).*/\1/p' err.txt)
api="$FAKE_URL/bot$M2G_TELEGRAM_TOKEN"
curl -sf "$api/setWebhook" -d "url=http://127.0.0.1:$port/hook" -d secret_token=wrong_secret > /dev/null
for i in 1 2 3; do control message "{\"text\":\"w$i\"}" > /dev/null; done
wait_for 10 sh -c "curl -sf '$api/getWebhookInfo' | grep -q 'Wrong response from the webhook: 401'"
[ "$(queue_count q.db updates)" = 0 ] || fail "stored with a wrong secret"
curl -sf "$api/setWebhook" -d "url=http://127.0.0.1:$port/hook" -d secret_token=right_secret > /dev/null
wait_for 20 sh -c '[ "$(python3 -c "import sqlite3; print(sqlite3.connect(\"q.db\").execute(\"select count(*) from m2g_queue\").fetchone()[0])")" = 3 ]'
wait_for 10 sh -c "curl -sf '$api/getWebhookInfo' | grep -q '\"pending_update_count\":0'"
kill -TERM $pid
wait $pid || fail "SIGTERM should exit 0"
m2g-queue take q.db -t updates > out.jsonl
[ "$(json_field out.jsonl text | sort | tr '\n' ' ')" = "w1 w2 w3 " ] || fail "wrong lines: $(cat out.jsonl)"
