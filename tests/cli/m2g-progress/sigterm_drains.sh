## SIGTERM stops reading, delivers the end states still waiting (one per second into the chat),
## then exits 0 with every line passed on.
. "$M2G_SRC/tests/cli/common.sh"
. "$M2G_SRC/tests/cli/m2g-progress/fake.inc"
start_fake_telegram --latency 'sendMessage=300ms'
person_says 8 "hi" > /dev/null
mkfifo feed
m2g-progress < feed > out.jsonl 2> err.txt &
pid=$!
track $pid
exec 3> feed
for i in 1 2 3 4; do
  echo "{\"v\":1,\"kind\":\"result\",\"id\":\"8:$i\",\"chat_id\":8,\"file\":\"f$i.md\"}" >&3
done
all_read() { [ "$(n_lines out.jsonl)" = 4 ]; }
wait_for 60 all_read
kill -TERM $pid
code=0; wait $pid || code=$?
exec 3>&-
[ "$code" = 0 ] || fail "exit $code after SIGTERM: $(cat err.txt)"
chat 8 | py '
texts = sorted(m["text"] for m in state["messages"])
assert texts == ["✅ Saved to <b>f%d.md</b>" % i for i in range(1, 5)], texts
' || fail "pending end states were not delivered: $(chat 8)"
