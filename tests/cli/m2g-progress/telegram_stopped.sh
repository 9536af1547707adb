## The pipeline is never blocked by Telegram: while the Bot API does not answer at all (the
## fake is stopped), every job's progress and result lines still come out of m2g-progress;
## once Telegram answers again, every job ends on ✅ (one status message per job).
. "$M2G_SRC/tests/cli/common.sh"
. "$M2G_SRC/tests/cli/m2g-progress/fake.inc"
start_fake_telegram
mid=$(person_says 9 "hi")
seq 1 5 | awk -v m="$mid" '{printf "{\"v\":1,\"kind\":\"job\",\"id\":\"9:j%d\",\"chat_id\":9,\"message_id\":%d,\"text\":\"note %d\"}\n", $1, m, $1}' > jobs.jsonl
kill -STOP "$FAKE_PID"
stopped=1
cont() { [ -z "$stopped" ] || kill -CONT "$FAKE_PID" 2>/dev/null || true; }
at_exit cont
m2g-teststage --delay-ms 100 --progress < jobs.jsonl | m2g-progress --timeout 300s > out.jsonl 2> err.txt &
pid=$!
track $pid
all_out() { [ "$(grep -c '"kind":"result"' out.jsonl)" = 5 ] && [ "$(grep -c '"kind":"progress"' out.jsonl)" = 5 ]; }
wait_for 120 all_out
kill -CONT "$FAKE_PID"
stopped=
code=0; wait $pid || code=$?
[ "$code" = 0 ] || fail "exit $code: $(cat err.txt)"
[ "$(n_lines out.jsonl)" = 10 ] || fail "lines lost or added: $(cat out.jsonl)"
chat 9 | py 'm=state["messages"]; assert len(m)==5, len(m); assert all(x["text"].startswith("✅") for x in m), m' \
  || fail "not every job ended on ✅: $(chat 9)"
