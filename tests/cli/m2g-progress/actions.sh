## Action lines are Bot API calls made with their params as given: a keyboard message appears
## in the chat, the button press is answered, the keyboard is removed, the message deleted.
## The action lines themselves pass on unchanged.
. "$M2G_SRC/tests/cli/common.sh"
. "$M2G_SRC/tests/cli/m2g-progress/fake.inc"
start_fake_telegram
asked=$(person_says 42 "buy milk")
cat > in1.jsonl <<LINES
{"v":1,"kind":"action","id":"42:$asked","method":"sendMessage","params":{"chat_id":42,"text":"Where to?","reply_parameters":{"message_id":$asked},"reply_markup":{"inline_keyboard":[[{"text":"📝 NOTE","callback_data":"f:note"},{"text":"✅ TODO","callback_data":"f:todo"}]]}}}
LINES
m2g-progress < in1.jsonl > out1.jsonl
test_cmp in1.jsonl out1.jsonl
chat 42 > chat1.json
keyboard=$(py 'm=state["messages"]; assert len(m)==1, m; print(m[0]["message_id"]); assert m[0]["text"]=="Where to?"; assert m[0]["reply_to_message_id"]=='"$asked"'; b=m[0]["reply_markup"]["inline_keyboard"][0]; assert [x["callback_data"] for x in b]==["f:note","f:todo"], b' < chat1.json) \
  || fail "keyboard message not as sent: $(cat chat1.json)"
callback=$(control POST click "{\"chat_id\":42,\"message_id\":$keyboard,\"data\":\"f:todo\"}" | py 'print(state["callback_query_id"])')
cat > in2.jsonl <<LINES
{"v":1,"kind":"action","id":"tg:2","method":"answerCallbackQuery","params":{"callback_query_id":"$callback","text":"Filed"}}
{"v":1,"kind":"action","id":"tg:2","method":"editMessageReplyMarkup","params":{"chat_id":42,"message_id":$keyboard,"reply_markup":{"inline_keyboard":[]}}}
LINES
m2g-progress < in2.jsonl > out2.jsonl
test_cmp in2.jsonl out2.jsonl
chat 42 | py 'c=state["callbacks"]; assert len(c)==1 and c[0]["answered"] and c[0]["answer"]["text"]=="Filed", c
m=state["messages"][0]; assert not (m["reply_markup"] or {}).get("inline_keyboard"), m' || fail "callback not answered or keyboard kept: $(chat 42)"
echo "{\"v\":1,\"kind\":\"action\",\"id\":\"x\",\"method\":\"deleteMessage\",\"params\":{\"chat_id\":42,\"message_id\":$keyboard}}" \
  | m2g-progress > /dev/null
chat 42 | py 'assert state["messages"][0]["deleted"], state' || fail "message not deleted: $(chat 42)"
