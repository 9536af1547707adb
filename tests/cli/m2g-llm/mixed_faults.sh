## Under a mix of faults and latencies, with few slots, every job comes out exactly once and most get the model's title.
. "$M2G_SRC/tests/cli/common.sh"
. "$M2G_SRC/tests/cli/m2g-llm/fake.inc"
start_fake --latency 1ms..50ms --fault 429=0.1,500=0.05,hang=0.01,garbage=0.02,fence=0.1,drop=0.02,empty=0.02 --retry-after 0 --seed 7
llm_jobs 400 j > in.jsonl
m2g-llm --base-url "$base" --model fake --max-inflight 16 --retries 6 --timeout 500ms --breaker-failures 0 \
  < in.jsonl > out.jsonl
check_each_once out.jsonl 400 j
llm=$(count_source out.jsonl llm)
[ "$llm" -ge 390 ] || fail "only $llm of 400 titles from the model"
[ "$(fake_stat answers.429)" -gt 10 ] || fail "the fault mix was not applied"
