## Only an authenticated request may touch the seen-update_id set: a forged request carrying
## update_id N (no secret, or a wrong one) gets 401 and leaves no trace, so Telegram's real
## update N afterwards is handed on, not dropped as a duplicate. Without a secret m2g-poll no
## longer starts at all unless told --insecure-no-secret (a forged id used to be remembered).
. "$M2G_SRC/tests/cli/common.sh"
. "$M2G_SRC/tests/cli/m2g-poll/fake.inc"
unset M2G_TELEGRAM_TOKEN M2G_POLL_SECRET_TOKEN
umask 077 # secret files must be owner-only (m2g refuses others: docs/SECURITY.md)
seen_rows() { python3 -c 'import sqlite3,sys
c = sqlite3.connect(sys.argv[1])
try:
    print(c.execute("select count(*) from m2g_poll_seen").fetchone()[0])
except sqlite3.OperationalError:
    print(0)' "$1"; }
# No secret configured: refused (78) instead of taking anybody's update_ids.
expect_code 78 refused err0.txt --webhook 127.0.0.1:0 --out "sqlite:q0.db#updates"
printf 'the-real-secret\n' > secret
start_webhook --secret-token-file secret --out "sqlite:q.db#updates"
forged=$(update_json 4242 "forged")
[ "$(post_update - "$forged")" = 401 ] || fail "no secret: expected 401"
[ "$(post_update wrong "$forged")" = 401 ] || fail "wrong secret: expected 401"
[ "$(post_update the-real-secre "$forged")" = 401 ] || fail "a prefix of the secret: expected 401"
[ "$(seen_rows q.db)" = 0 ] || fail "a forged update_id was remembered as seen"
[ "$(queue_count q.db updates)" = 0 ] || fail "a forged update was stored"
[ "$(post_update the-real-secret "$(update_json 4242 real)")" = 200 ] || fail "the real update: expected 200"
[ "$(queue_count q.db updates)" = 1 ] || fail "the real update 4242 was dropped"
kill -TERM "$WEBHOOK_PID"
wait "$WEBHOOK_PID" || fail "SIGTERM should exit 0"
m2g-queue take q.db -t updates > out.jsonl
[ "$(json_field out.jsonl text)" = real ] || fail "wrong line handed on: $(cat out.jsonl)"
