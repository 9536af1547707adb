## With every Telegram call taking 200 ms and one call per second per chat, lines are not held
## back: all results are out while the status messages are still being sent, and afterwards
## every job still ends on ✅ (one message per job).
. "$M2G_SRC/tests/cli/common.sh"
. "$M2G_SRC/tests/cli/m2g-progress/fake.inc"
start_fake_telegram --latency editMessageText=200ms --latency sendMessage=200ms
mid=$(person_says 9 "hi")
seq 1 5 | awk -v m="$mid" '{printf "{\"v\":1,\"kind\":\"job\",\"id\":\"9:j%d\",\"chat_id\":9,\"message_id\":%d,\"text\":\"note %d\"}\n", $1, m, $1}' > jobs.jsonl
m2g-teststage --delay-ms 100 --progress < jobs.jsonl | m2g-progress > out.jsonl 2> err.txt &
pid=$!
track $pid
all_results_out() { [ "$(grep -c '"kind":"result"' out.jsonl)" = 5 ]; }
wait_for 60 all_results_out
# Five end states into one chat need at least four seconds at one per second.
shown=$(chat 9 | py 'print(sum(1 for m in state["messages"] if m["text"].startswith("✅")))')
[ "$shown" -lt 5 ] || fail "all $shown end states were shown before the last result line came out"
code=0; wait $pid || code=$?
[ "$code" = 0 ] || fail "exit $code: $(cat err.txt)"
[ "$(grep -c '"kind":"progress"' out.jsonl)" = 5 ] || fail "progress lines lost"
chat 9 | py 'm=state["messages"]; assert len(m)==5, len(m); assert all(x["text"].startswith("✅") for x in m), m' \
  || fail "not every job ended on ✅: $(chat 9)"
