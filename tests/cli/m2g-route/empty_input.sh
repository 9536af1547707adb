## Empty input (and blank lines only) gives no output and exit 0.
. "$M2G_SRC/tests/cli/common.sh"
m2g-route --allowed-chats 42 --db r.db < /dev/null > out.jsonl
[ ! -s out.jsonl ] || fail "output for empty input"
printf '\n\n' | m2g-route --allowed-chats 42 --db r.db > out2.jsonl
[ ! -s out2.jsonl ] || fail "output for blank lines"
