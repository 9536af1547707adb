## Empty input (or blank lines only) ends at once with exit 0 and no output, with or without a model.
. "$M2G_SRC/tests/cli/common.sh"
m2g-llm < /dev/null > out.jsonl
[ ! -s out.jsonl ] || fail "output from empty input"
printf '\n\n  \n' | m2g-llm > out.jsonl
[ ! -s out.jsonl ] || fail "output from blank lines"
m2g-llm --base-url http://127.0.0.1:9/v1 --model m < /dev/null > out.jsonl
[ ! -s out.jsonl ] || fail "output from empty input with a model"
