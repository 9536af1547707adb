## --help exits 0 and names the modes; an unknown flag exits 64; no token exits 78; a bad
## --out or --webhook address is a usage error (64).
. "$M2G_SRC/tests/cli/common.sh"
m2g-poll --help > help.txt
grep -q -- --webhook help.txt || fail "--help does not mention --webhook"
grep -q -- --once help.txt || fail "--help does not mention --once"
expect_code 64 m2g-poll --no-such-flag
expect_code 64 m2g-poll --limit 101
unset M2G_TELEGRAM_TOKEN M2G_TELEGRAM_TOKEN_FILE
expect_code 78 m2g-poll --once 2> err.txt
grep -q "no bot token" err.txt || fail "no clear message without a token: $(cat err.txt)"
export M2G_TELEGRAM_TOKEN=1:x
expect_code 64 m2g-poll --once --out kafka://nope
expect_code 64 m2g-poll --webhook no-port-here
expect_code 66 m2g-poll --once --token-file does-not-exist
