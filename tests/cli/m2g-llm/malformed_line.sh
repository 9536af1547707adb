## A malformed line is reported with its line number and kept with --reject; the others go on.
. "$M2G_SRC/tests/cli/common.sh"
. "$M2G_SRC/tests/cli/m2g-llm/fake.inc"
start_fake
{
  llm_jobs 1 a
  echo '{"v":1,"kind":"job","id":"broken",'
  echo 'not json at all'
  llm_jobs 1 b
} > in.jsonl
m2g-llm --base-url "$base" --model fake --reject rejected.txt < in.jsonl > out.jsonl 2> err.txt
grep -q 'line 2' err.txt || fail "line 2 not reported: $(cat err.txt)"
grep -q 'line 3' err.txt || fail "line 3 not reported"
printf '%s\n%s\n' '{"v":1,"kind":"job","id":"broken",' 'not json at all' > expected.txt
test_cmp expected.txt rejected.txt
[ "$(count_source out.jsonl llm)" = 2 ] || fail "the good jobs were not titled"
