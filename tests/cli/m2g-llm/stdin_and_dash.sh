## Jobs are read from stdin, with or without "--in -", and give the same lines.
. "$M2G_SRC/tests/cli/common.sh"
. "$M2G_SRC/tests/cli/m2g-llm/fake.inc"
llm_jobs 20 j false > in.jsonl
m2g-llm < in.jsonl > a.jsonl
m2g-llm --in - --out - < in.jsonl > b.jsonl
check_each_once a.jsonl 20 j
[ "$(n_lines a.jsonl)" = 20 ] || fail "expected 20 lines"
sed 's/"ts":[0-9]*//' a.jsonl > a.cmp
sed 's/"ts":[0-9]*//' b.jsonl > b.cmp
test_cmp a.cmp b.cmp
