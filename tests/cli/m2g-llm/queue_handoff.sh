## With queues on both sides, titled jobs (and their progress events) are stored and their inputs acknowledged.
. "$M2G_SRC/tests/cli/common.sh"
. "$M2G_SRC/tests/cli/m2g-llm/fake.inc"
start_fake --latency 5ms
llm_jobs 30 j | m2g-queue put q.db -t jobs
m2g-llm --base-url "$base" --model fake --in 'sqlite:q.db#jobs' --out 'sqlite:q.db#titled' &
pid=$!
track $pid
ready() { m2g-queue stat q.db --json | python3 -c 'import json,sys
print(sum(json.loads(l)["ready"] for l in sys.stdin if json.loads(l)["topic"] == sys.argv[1]))' "$1"; }
all_titled() { [ "$(ready titled)" = 90 ]; }
wait_for 20 all_titled
kill -TERM $pid
wait $pid || fail "exit $? after SIGTERM"
m2g-queue take q.db -t titled > out.jsonl
check_each_once out.jsonl 30 j
[ "$(count_source out.jsonl llm)" = 30 ] || fail "titles missing"
[ "$(ready jobs)" = 0 ] || fail "inputs were not acknowledged"
[ -z "$(m2g-queue take q.db -t jobs)" ] || fail "inputs are still queued"
