## m2g-bot run refuses to start without its required configuration, exits 78 and names every
## missing variable; a malformed env file line is reported with its line number; the
## environment wins over the env file, and secrets never reach a stage's command line.
. "$M2G_SRC/tests/cli/common.sh"
unset M2G_TELEGRAM_TOKEN M2G_TELEGRAM_TOKEN_FILE M2G_ALLOWED_CHATS M2G_REPO M2G_MULTI_USER M2G_LLM_BASE_URL
code=0; m2g-bot run --data-dir d 2> err.txt || code=$?
[ "$code" = 78 ] || fail "expected 78, got $code"
for name in M2G_TELEGRAM_TOKEN M2G_ALLOWED_CHATS M2G_REPO; do
  grep -q "$name" err.txt || fail "$name not named: $(cat err.txt)"
done
[ ! -e d/queue.db ] || fail "a refused start created the queue"

# Only the token missing, the rest from an env file.
printf '# a comment\n\nM2G_ALLOWED_CHATS=42\nM2G_REPO="/tmp/x.git"\n' > m2g.env
code=0; m2g-bot run --env-file m2g.env --data-dir d 2> err.txt || code=$?
[ "$code" = 78 ] || fail "expected 78, got $code"
grep -q M2G_TELEGRAM_TOKEN err.txt || fail "token not named"
! grep -q M2G_ALLOWED_CHATS err.txt || fail "M2G_ALLOWED_CHATS came from the file: $(cat err.txt)"

# An LLM base URL without a model is a configuration error too.
code=0; M2G_LLM_BASE_URL=http://127.0.0.1:9/v1 m2g-bot run --env-file m2g.env --data-dir d 2> err.txt || code=$?
[ "$code" = 78 ] && grep -q M2G_LLM_MODEL err.txt || fail "LLM model not required: $(cat err.txt)"

printf 'M2G_ALLOWED_CHATS=42\nexport FOO=1\n' > bad.env
code=0; m2g-bot run --env-file bad.env --data-dir d 2> err.txt || code=$?
[ "$code" = 78 ] || fail "malformed env file: expected 78, got $code"
grep -q "bad.env:2" err.txt || fail "line number not named: $(cat err.txt)"
expect_code 66 m2g-bot run --env-file no-such.env --data-dir d
