## Every injected fault ends in a retry or a fallback, never a lost job: retryable faults are retried, quota is not.
. "$M2G_SRC/tests/cli/common.sh"
. "$M2G_SRC/tests/cli/m2g-llm/fake.inc"
llm_jobs 6 j > in.jsonl
# fault  expected title_source  requests per job (with --retries 1)
while read -r fault source per_job; do
  start_fake --fault "$fault=1" --retry-after 0
  m2g-llm --base-url "$base" --model fake --retries 1 --timeout 1s --breaker-failures 0 \
    < in.jsonl > "out.$fault.jsonl" 2> "err.$fault.txt" || fail "$fault: exit $?"
  check_each_once "out.$fault.jsonl" 6 j
  got=$(count_source "out.$fault.jsonl" "$source")
  [ "$got" = 6 ] || fail "$fault: $got of 6 jobs have title_source $source"
  requests=$(($(fake_stat requests) - 1))
  [ "$requests" = $((6 * per_job)) ] || fail "$fault: $requests requests, expected $((6 * per_job))"
  kill "$fake_pid"; wait "$fake_pid" 2>/dev/null || true
done <<'CASES'
429 fallback 2
quota fallback 1
500 fallback 2
503 fallback 2
hang fallback 2
drop fallback 2
garbage fallback 2
empty fallback 2
fence llm 1
CASES
# Billed tokens of failed tries are still counted (empty replies are billed).
grep -q '"usage":{"completion_tokens":2,"prompt_tokens":' out.empty.jsonl || fail "usage of empty replies lost"
