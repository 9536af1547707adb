## An empty (or blank) webhook secret file, or an empty M2G_POLL_SECRET_TOKEN, is a mistake
## that used to turn authentication off silently: m2g-poll refuses to start (78, EX_CONFIG) and
## says why. Running without a secret at all must be asked for with --insecure-no-secret.
. "$M2G_SRC/tests/cli/common.sh"
. "$M2G_SRC/tests/cli/m2g-poll/fake.inc"
unset M2G_TELEGRAM_TOKEN M2G_POLL_SECRET_TOKEN
umask 077 # secret files must be owner-only (m2g refuses others: docs/SECURITY.md)
: > empty
printf ' \n\t\n' > blank
expect_code 78 refused err1.txt --webhook 127.0.0.1:0 --secret-token-file empty --state s.db
grep -q "secret file 'empty' is empty" err1.txt || fail "no clear message for an empty file: $(cat err1.txt)"
expect_code 78 refused err2.txt --webhook 127.0.0.1:0 --secret-token-file blank --state s.db
grep -q "is empty" err2.txt || fail "no clear message for a blank file: $(cat err2.txt)"
# --insecure-no-secret does not excuse an empty file: the operator meant to set one.
expect_code 78 refused /dev/null --webhook 127.0.0.1:0 --secret-token-file empty --insecure-no-secret --state s.db
M2G_POLL_SECRET_TOKEN='' expect_code 78 refused err3.txt --webhook 127.0.0.1:0 --state s.db
grep -q "M2G_POLL_SECRET_TOKEN is set but empty" err3.txt || fail "no clear message for an empty variable: $(cat err3.txt)"
expect_code 78 refused err4.txt --webhook 127.0.0.1:0 --state s.db
grep -q "needs a secret" err4.txt || fail "no clear message without a secret: $(cat err4.txt)"
# Asked for by name, no secret is allowed (with a warning), and a real secret works as before.
start_webhook --insecure-no-secret --state s.db
grep -q "no webhook secret" webhook.err || fail "no warning without a secret"
kill -TERM "$WEBHOOK_PID"
wait "$WEBHOOK_PID" || fail "SIGTERM should exit 0"
printf 'good-secret\n' > good
start_webhook --secret-token-file good --state s.db
[ "$(post_update - "$(update_json 1 x)")" = 401 ] || fail "no secret header: expected 401"
kill -TERM "$WEBHOOK_PID"
wait "$WEBHOOK_PID" || fail "SIGTERM should exit 0"
