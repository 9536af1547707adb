## Webhook mode: requests without the right X-Telegram-Bot-Api-Secret-Token get 401 and store
## nothing; a right one gets 200 with its update already in the queue; a body that is not an
## Update gets 400 (and goes to --reject); a retried update is stored once.
. "$M2G_SRC/tests/cli/common.sh"
. "$M2G_SRC/tests/cli/m2g-poll/fake.inc"
unset M2G_TELEGRAM_TOKEN
printf 's3cret-Token_1\n' > secret && chmod 600 secret
m2g-poll --webhook 127.0.0.1:0 --secret-token-file secret --out "sqlite:q.db#updates" --reject bad.txt 2> err.txt &
pid=$!
track $pid
wait_for 10 grep -q "receiving webhook updates on" err.txt
port=$(sed -n 's/.*receiving webhook updates on 127.0.0.1:\([0-9]*\).*/\1/p' err.txt)
url="http://127.0.0.1:$port/tg"
update='{"update_id":900,"message":{"message_id":3,"date":1700000000,"chat":{"id":42,"type":"private"},"from":{"id":42,"is_bot":false,"first_name":"A"},"text":"/note hi"}}'
post() { curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' "$@" "$url"; }
[ "$(post -d "$update")" = 401 ] || fail "no secret: expected 401"
[ "$(post -H 'X-Telegram-Bot-Api-Secret-Token: wrong' -d "$update")" = 401 ] || fail "wrong secret: expected 401"
[ "$(queue_count q.db updates)" = 0 ] || fail "an unauthorized update was stored"
[ "$(post -H 'X-Telegram-Bot-Api-Secret-Token: s3cret-Token_1' -d "$update")" = 200 ] || fail "right secret: expected 200"
# 200 means handed off: the line is in the queue already.
[ "$(queue_count q.db updates)" = 1 ] || fail "200 before the handoff"
[ "$(post -H 'X-Telegram-Bot-Api-Secret-Token: s3cret-Token_1' -d "$update")" = 200 ] || fail "a retry should get 200"
[ "$(queue_count q.db updates)" = 1 ] || fail "a retried update was stored twice"
[ "$(post -H 'X-Telegram-Bot-Api-Secret-Token: s3cret-Token_1' -d 'not json')" = 400 ] || fail "garbage: expected 400"
[ "$(curl -s -o /dev/null -w '%{http_code}' "$url")" = 405 ] || fail "GET: expected 405"
grep -q "not json" bad.txt || fail "garbage not in --reject"
kill -TERM $pid
wait $pid || fail "SIGTERM should exit 0: $(cat err.txt)"
m2g-queue take q.db -t updates > out.jsonl
[ "$(json_field out.jsonl command)" = note ] || fail "line not normalized: $(cat out.jsonl)"
[ "$(json_field out.jsonl id)" = tg:900 ] || fail "wrong id"
grep -q "s3cret" err.txt && fail "the secret was printed" || true
