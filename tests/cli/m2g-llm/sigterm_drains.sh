## SIGTERM stops reading, lets requests in flight finish, gives waiting retries the fallback, writes every job, exits 0.
. "$M2G_SRC/tests/cli/common.sh"
. "$M2G_SRC/tests/cli/m2g-llm/fake.inc"
start_fake --latency 5s
mkfifo feed
m2g-llm --base-url "$base" --model fake < feed > out.jsonl &
pid=$!
track $pid
exec 3> feed
llm_jobs 5 j >&3
five_pending() { [ "$(fake_stat pending)" = 5 ]; }
wait_for 10 five_pending
kill -TERM $pid
code=0; wait $pid || code=$?
exec 3>&-
[ "$code" = 0 ] || fail "exit $code after SIGTERM"
check_each_once out.jsonl 5 j
[ "$(count_source out.jsonl llm)" = 5 ] || fail "requests in flight were not drained"
kill "$fake_pid"; wait "$fake_pid" 2>/dev/null || true

# Jobs waiting for a retry (Retry-After 60 s) do not hold the drain: they fall back at once.
start_fake --fault 429=1 --retry-after 60
m2g-llm --base-url "$base" --model fake --retries 3 < feed > out2.jsonl &
pid=$!
track $pid
exec 4> feed
llm_jobs 5 k >&4
five_refused() { [ "$(fake_stat answers.429)" = 5 ]; }
wait_for 10 five_refused
start=$SECONDS
kill -TERM $pid
code=0; wait $pid || code=$?
exec 4>&-
[ "$code" = 0 ] || fail "exit $code after SIGTERM with retries pending"
[ $((SECONDS - start)) -lt 10 ] || fail "the drain waited for the retries"
check_each_once out2.jsonl 5 k
[ "$(count_source out2.jsonl fallback)" = 5 ] || fail "waiting jobs did not fall back"
