## A job's progress events and result end as ONE status message, sent as a reply to the
## person's message, edited in place, reading ✅ with a "🔗 View" button to the file; what the
## job echoes (a title with < & _ *) is escaped for HTML.
. "$M2G_SRC/tests/cli/common.sh"
. "$M2G_SRC/tests/cli/m2g-progress/fake.inc"
start_fake_telegram
mid=$(person_says 7 "buy milk")
base="\"v\":1,\"id\":\"7:$mid\",\"chat_id\":7,\"message_id\":$mid"
cat > in.jsonl <<LINES
{$base,"kind":"progress","stage":"m2g-route","step":"queued"}
{"v":1,"kind":"job","id":"7:$mid","chat_id":7,"op":"add","text":"buy milk"}
{$base,"kind":"progress","stage":"m2g-llm","step":"title","pct":30,"text":"generating title…"}
{$base,"kind":"progress","stage":"m2g-commit","step":"committing","pct":70}
{$base,"kind":"result","file":"note.md","url":"https://github.com/o/notes/blob/main/note.md","title":"Milk <3 & _cheese_ *now*"}
LINES
mkfifo feed
m2g-progress < feed > out.jsonl &
pid=$!
track $pid
exec 3> feed
head -n 2 in.jsonl >&3
# The first event sends the status message with a bar; the later ones edit it in place.
shown() { chat 7 | py 'sys.exit(0 if len(state["messages"]) == 1 else 1)'; }
wait_for 60 shown
chat 7 | py 'import re; assert re.match(r"^[▓░]{10} \d+%", state["messages"][0]["text"]), state' \
  || fail "first state not a bar: $(chat 7)"
sed -n 3p in.jsonl >&3
at_30() { chat 7 | py 'm=state["messages"]; sys.exit(0 if len(m) == 1 and m[0]["text"].startswith("▓▓▓░░░░░░░ 30%") and len(m[0]["edits"]) == 1 else 1)'; }
wait_for 60 at_30
tail -n 2 in.jsonl >&3
exec 3>&-
code=0; wait $pid || code=$?
[ "$code" = 0 ] || fail "exit $code"
test_cmp in.jsonl out.jsonl
chat 7 > chat.json
py '
m = state["messages"]
assert len(m) == 1, "one status message, not %d" % len(m)
m = m[0]
assert len(m["edits"]) >= 2, "the status message was not edited: %s" % m
assert m["reply_to_message_id"] == '"$mid"', m
assert m["text"] == "✅ Saved to <b>note.md</b>\n<i>Milk &lt;3 &amp; _cheese_ *now*</i>", m["text"]
button = m["reply_markup"]["inline_keyboard"][0][0]
assert button == {"text": "🔗 View", "url": "https://github.com/o/notes/blob/main/note.md"}, button
' < chat.json || fail "status message not as expected: $(cat chat.json)"
