## put stores stdin lines in order; take prints them with their qid and leases them.
. "$M2G_SRC/tests/cli/common.sh"
jobs 3 a > in.jsonl
m2g-queue put q.db -t inbox < in.jsonl
m2g-queue take q.db -t inbox > out.jsonl
[ "$(n_lines out.jsonl)" = 3 ] || fail "expected 3 lines"
json_field out.jsonl id > ids
printf 'a1\na2\na3\n' > expect_ids
test_cmp expect_ids ids
json_field out.jsonl qid > qids
printf 'inbox:1\ninbox:2\ninbox:3\n' > expect_qids
test_cmp expect_qids qids
# Leased: a second take sees nothing.
m2g-queue take q.db -t inbox > again.jsonl
[ ! -s again.jsonl ] || fail "leased lines were delivered twice"
# stdin as '-' works the same as redirection (no file argument needed), and empty input is fine.
m2g-queue put q.db -t empty < /dev/null
m2g-queue stat q.db --json > stat.jsonl
grep -q '"topic":"inbox"' stat.jsonl || fail "stat lacks topic"
