## m2g-bot --help and --version exit 0, an unknown argument or a bad log level exits 64, and
## status without any bot data exits 66 with a clear message.
. "$M2G_SRC/tests/cli/common.sh"
m2g-bot --help > help.txt || fail "--help should exit 0"
grep -q "usage: m2g-bot" help.txt || fail "no usage line: $(cat help.txt)"
m2g-bot --version | grep -q "m2g" || fail "--version"
expect_code 64 m2g-bot --frobnicate
expect_code 64 m2g-bot --log-level loud
expect_code 66 m2g-bot status --data-dir nothing-here
m2g-bot status --data-dir nothing-here 2> err.txt || true
grep -q "no bot has run" err.txt || fail "status message: $(cat err.txt)"
