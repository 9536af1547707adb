## A malformed line among 10,000 good ones is rejected with its line number; the 10,000 arrive.
. "$M2G_SRC/tests/cli/common.sh"
{ jobs 5000 a; echo '{"v":1,"kind":"job",broken'; jobs 5000 b; } > in.jsonl
expect_code 1 m2g-queue put q.db -t t --reject rejected.txt < in.jsonl 2> err.txt
grep -q 'line 5001: malformed JSON' err.txt || fail "no line number in: $(cat err.txt)"
[ "$(cat rejected.txt)" = '{"v":1,"kind":"job",broken' ] || fail "reject file does not hold the raw line"
m2g-queue take q.db -t t > out.jsonl
[ "$(n_lines out.jsonl)" = 10000 ] || fail "expected 10000 lines, got $(n_lines out.jsonl)"
