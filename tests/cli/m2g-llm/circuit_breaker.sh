## A failing endpoint opens the circuit: the rest of the jobs get the fallback at once instead of hammering it.
. "$M2G_SRC/tests/cli/common.sh"
. "$M2G_SRC/tests/cli/m2g-llm/fake.inc"
start_fake --fault 500=1
llm_jobs 100 j > in.jsonl
m2g-llm --base-url "$base" --model fake --max-inflight 1 --retries 0 --breaker-failures 5 --breaker-cooldown 1h \
  < in.jsonl > out.jsonl 2> err.txt
check_each_once out.jsonl 100 j
[ "$(count_source out.jsonl fallback)" = 100 ] || fail "not every job fell back"
requests=$(($(fake_stat requests) - 1))
[ "$requests" = 5 ] || fail "$requests requests reached a failing endpoint; the circuit should stop at 5"
grep -q 'circuit open' err.txt || fail "the open circuit was not reported"
