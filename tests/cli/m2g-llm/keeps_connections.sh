## A burst's connections stay open for the next burst: two bursts of 400 requests (beyond the
## plain client's old cap of 256 idle ones) connect 400 times, not 544 (+1: the stats query).
. "$M2G_SRC/tests/cli/common.sh"
. "$M2G_SRC/tests/cli/m2g-llm/fake.inc"
start_fake --latency 300ms
llm_jobs 800 j > jobs.jsonl
{
  head -n 400 jobs.jsonl
  # The second burst starts once the first one's answers are all back (their connections idle).
  wait_for 60 sh -c '[ "$(grep -c "\"kind\":\"job\"" out.jsonl)" -ge 400 ]'
  tail -n 400 jobs.jsonl
} | m2g-llm --base-url "$base" --model fake --max-inflight 1000 --http-client plain > out.jsonl
check_each_once out.jsonl 800 j
[ "$(count_source out.jsonl llm)" = 800 ] || fail "not every title came from the model"
connections=$(fake_stat connections)
[ "$connections" = 401 ] || fail "expected the 400 connections of the first burst to be reused, the fake accepted $connections"
