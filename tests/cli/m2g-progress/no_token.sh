## Without a bot token m2g-progress refuses to start (exit 78) and says where the token goes; a
## token file that cannot be read is exit 66. The token is never taken from argv.
. "$M2G_SRC/tests/cli/common.sh"
unset M2G_TELEGRAM_TOKEN M2G_TELEGRAM_TOKEN_FILE
code=0
m2g-progress < /dev/null > out.jsonl 2> err.txt || code=$?
[ "$code" = 78 ] || fail "exit $code without a token"
grep -q 'M2G_TELEGRAM_TOKEN' err.txt || fail "the error does not say which variable to set: $(cat err.txt)"
expect_code 66 m2g-progress --token-file does-not-exist < /dev/null
expect_code 64 m2g-progress --token 123:abc < /dev/null
