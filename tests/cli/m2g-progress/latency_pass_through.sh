## With every Telegram call taking 200 ms and one call per second per chat, all lines pass
## and every job still ends on ✅ (one message per job). (That lines never wait for Telegram
## is proved without timing in telegram_stopped.sh.)
. "$M2G_SRC/tests/cli/common.sh"
. "$M2G_SRC/tests/cli/m2g-progress/fake.inc"
start_fake_telegram --latency editMessageText=200ms --latency sendMessage=200ms
mid=$(person_says 9 "hi")
seq 1 5 | awk -v m="$mid" '{printf "{\"v\":1,\"kind\":\"job\",\"id\":\"9:j%d\",\"chat_id\":9,\"message_id\":%d,\"text\":\"note %d\"}\n", $1, m, $1}' > jobs.jsonl
m2g-teststage --delay-ms 100 --progress < jobs.jsonl | m2g-progress > out.jsonl 2> err.txt &
pid=$!
track $pid
all_results_out() { [ "$(grep -c '"kind":"result"' out.jsonl)" = 5 ]; }
wait_for 120 all_results_out
code=0; wait $pid || code=$?
[ "$code" = 0 ] || fail "exit $code: $(cat err.txt)"
[ "$(grep -c '"kind":"progress"' out.jsonl)" = 5 ] || fail "progress lines lost"
chat 9 | py 'm=state["messages"]; assert len(m)==5, len(m); assert all(x["text"].startswith("✅") for x in m), m' \
  || fail "not every job ended on ✅: $(chat 9)"
