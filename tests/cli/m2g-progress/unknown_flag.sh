## An unknown flag, or a rate that is not a positive number, is a usage error: exit 64.
. "$M2G_SRC/tests/cli/common.sh"
export M2G_TELEGRAM_TOKEN=1:x
expect_code 64 m2g-progress --no-such-flag < /dev/null
expect_code 64 m2g-progress --per-chat-rate 0 < /dev/null
expect_code 64 m2g-progress --global-rate fast < /dev/null
expect_code 64 m2g-progress --timeout soon < /dev/null
