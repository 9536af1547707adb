## With a queue as input, --max-inflight decides how many requests are in flight, not the queue reader's own batch cap: 6,000 jobs are all at the fake at once.
. "$M2G_SRC/tests/cli/common.sh"
. "$M2G_SRC/tests/cli/m2g-llm/fake.inc"
[ "$(ulimit -Hn)" -ge 6100 ] || skip "the hard fd limit $(ulimit -Hn) is below 6,100"
start_fake --latency 60s
llm_jobs 6000 j | m2g-queue put q.db -t jobs
m2g-llm --base-url "$base" --model fake --max-inflight 6000 --in 'sqlite:q.db#jobs' --out 'sqlite:q.db#titled' &
pid=$!
track $pid
all_at_fake() { [ "$(fake_stat pending)" = 6000 ]; }
wait_for 60 all_at_fake
kill -9 $pid
