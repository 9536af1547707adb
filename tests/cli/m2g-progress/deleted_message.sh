## A status message deleted in the chat is not fatal: the job's end state goes out as a new
## message, and nothing fails.
. "$M2G_SRC/tests/cli/common.sh"
. "$M2G_SRC/tests/cli/m2g-progress/fake.inc"
start_fake_telegram
mid=$(person_says 6 "a photo")
echo '{"v":1,"kind":"action","id":"a","method":"sendMessage","params":{"chat_id":6,"text":"⏳ queued"}}' | m2g-progress > /dev/null
status=$(chat 6 | py 'print(state["messages"][0]["message_id"])')
echo "{\"v\":1,\"kind\":\"action\",\"id\":\"a\",\"method\":\"deleteMessage\",\"params\":{\"chat_id\":6,\"message_id\":$status}}" \
  | m2g-progress > /dev/null
base="\"v\":1,\"id\":\"6:$mid\",\"chat_id\":6,\"message_id\":$mid,\"status_message_id\":$status"
printf '%s\n' "{$base,\"kind\":\"progress\",\"step\":\"title\"}" "{$base,\"kind\":\"result\",\"file\":\"note.md\"}" \
  | m2g-progress > out.jsonl 2> err.txt || fail "exit $?: $(cat err.txt)"
[ "$(n_lines out.jsonl)" = 2 ] || fail "lines lost"
chat 6 | py '
live = [m for m in state["messages"] if not m["deleted"]]
assert len(live) == 1 and live[0]["text"].startswith("✅"), state
assert live[0]["reply_to_message_id"] == '"$mid"', live
' || fail "end state not sent as a new message: $(chat 6)"
