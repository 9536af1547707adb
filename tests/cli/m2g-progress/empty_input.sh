## Empty input (or only blank lines) is not an error: nothing out, no call, exit 0.
. "$M2G_SRC/tests/cli/common.sh"
export M2G_TELEGRAM_TOKEN=1:x M2G_TELEGRAM_API_URL=http://127.0.0.1:9
m2g-progress < /dev/null > out.jsonl
[ ! -s out.jsonl ] || fail "output from empty input"
printf '\n\n  \n' | m2g-progress > out2.jsonl
[ ! -s out2.jsonl ] || fail "output from blank lines"
