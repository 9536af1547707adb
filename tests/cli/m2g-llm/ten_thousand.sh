## 10,000 jobs with 1 s latency, all in flight at once: every job comes out exactly once, titled by the model.
. "$M2G_SRC/tests/cli/common.sh"
. "$M2G_SRC/tests/cli/m2g-llm/fake.inc"
[ "$(ulimit -Hn)" -ge 10100 ] || skip "the hard fd limit $(ulimit -Hn) is below 10,100"
start_fake --latency 1s
llm_jobs 10000 j > in.jsonl
m2g-llm --base-url "$base" --model fake --max-inflight 10000 < in.jsonl > out.jsonl
check_each_once out.jsonl 10000 j
[ "$(count_source out.jsonl llm)" = 10000 ] || fail "not every title came from the model"
[ "$(fake_stat requests)" = 10001 ] || fail "expected 10,000 requests, no retries"
