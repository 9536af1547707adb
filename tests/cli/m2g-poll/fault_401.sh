## A token Telegram refuses (401) ends the poller with exit 77 and a clear message that does not
## show the token; a malformed token (404 from Telegram) ends it with 78.
. "$M2G_SRC/tests/cli/common.sh"
. "$M2G_SRC/tests/cli/m2g-poll/fake.inc"
start_fake
wrong="987654:WRONG-token-Kp2rT9"
M2G_TELEGRAM_TOKEN=$wrong expect_code 77 poll --state state.db 2> err.txt
grep -q "refused the bot token" err.txt || fail "no clear message: $(cat err.txt)"
grep -q "401" err.txt || fail "401 not named: $(cat err.txt)"
if grep -q "WRONG-token" err.txt; then fail "the token was printed"; fi
M2G_TELEGRAM_TOKEN=not-a-token expect_code 78 poll --state state.db 2> err404.txt
grep -q "404" err404.txt || fail "404 not named: $(cat err404.txt)"
if grep -q "not-a-token" err404.txt; then fail "the token was printed"; fi
