## A webhook body nested 400,000 levels deep is answered 400 before any JSON DOM is built from
## it (nlohmann's copy and dump recurse once per level: that used to be a SIGSEGV), and
## m2g-poll keeps serving: the real update sent next is handed on.
. "$M2G_SRC/tests/cli/common.sh"
. "$M2G_SRC/tests/cli/m2g-poll/fake.inc"
unset M2G_TELEGRAM_TOKEN
export M2G_POLL_SECRET_TOKEN=deep-secret
start_webhook --out "sqlite:q.db#updates" --reject bad.txt
python3 -c 'import sys; n = 400000
sys.stdout.write("{\"update_id\":7,\"message\":{\"message_id\":7,\"date\":1,\"chat\":{\"id\":42,\"type\":\"private\"},\"text\":\"x\",\"entities\":" + "[" * n + "]" * n + "}}")' > deep.json
code=$(post_update deep-secret @deep.json)
[ "$code" = 400 ] || fail "a 400,000-level body: expected 400, got $code ($(tail -3 webhook.err))"
kill -0 "$WEBHOOK_PID" 2> /dev/null || fail "m2g-poll died on a deeply nested body"
grep -q "nested deeper than" webhook.err || fail "no clear reason logged: $(cat webhook.err)"
# A top-level array as deep is refused the same way.
python3 -c 'import sys; sys.stdout.write("[" * 400000 + "]" * 400000)' > deep2.json
[ "$(post_update deep-secret @deep2.json)" = 400 ] || fail "a deep top-level array: expected 400"
update_json 8 "/note real" > real.json
[ "$(post_update deep-secret @real.json)" = 200 ] || fail "the real update after the deep one was not taken"
[ "$(queue_count q.db updates)" = 1 ] || fail "expected exactly the real update in the queue"
kill -TERM "$WEBHOOK_PID"
wait "$WEBHOOK_PID" || fail "SIGTERM should exit 0: $(tail -3 webhook.err)"
m2g-queue take q.db -t updates > out.jsonl
[ "$(json_field out.jsonl id)" = tg:8 ] || fail "wrong line handed on: $(cat out.jsonl)"
