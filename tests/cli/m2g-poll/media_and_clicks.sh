## Photos (largest size), documents, edits, channel posts, button clicks (data, keyboard message,
## the person's message) and unknown update kinds come out normalized per m2g(7).
. "$M2G_SRC/tests/cli/common.sh"
. "$M2G_SRC/tests/cli/m2g-poll/fake.inc"
start_fake
first=$(control message '{"chat_id":42,"text":"remember the milk"}' | json_get message_id)
control photo '{"chat_id":42,"data":"JPEG","width":1280,"height":960,"caption":"sunset"}' > photo.json
control document '{"chat_id":42,"data":"%PDF","file_name":"a.pdf","mime_type":"application/pdf"}' > /dev/null
control edit "{\"chat_id\":42,\"message_id\":$first,\"text\":\"/todo remember the milk\"}" > /dev/null
control channel_post '{"chat_id":-1001234,"text":"news"}' > /dev/null
# The bot answers the first message with a keyboard; the person clicks a button.
keyboard=$(curl -sf "$FAKE_URL/bot$M2G_TELEGRAM_TOKEN/sendMessage" -H 'Content-Type: application/json' \
  -d "{\"chat_id\":42,\"text\":\"Please choose:\",\"reply_parameters\":{\"message_id\":$first},
       \"reply_markup\":{\"inline_keyboard\":[[{\"text\":\"Note\",\"callback_data\":\"file_NOTE\"}]]}}" |
  json_get result.message_id)
control click "{\"chat_id\":42,\"message_id\":$keyboard,\"data\":\"file_NOTE\"}" > /dev/null
control update '{"my_chat_member":{"chat":{"id":42,"type":"private"},"from":{"id":42,"is_bot":false,"first_name":"A"},"date":1}}' > /dev/null
poll --once --state state.db > out.jsonl
[ "$(n_lines out.jsonl)" = 7 ] || fail "expected 7 lines: $(cat out.jsonl)"
python3 - "$(cat photo.json)" "$first" "$keyboard" <<'PY' || fail "wrong normalization: $(cat out.jsonl)"
import json, sys
photo, first, keyboard = json.loads(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
l = [json.loads(x) for x in open("out.jsonl")]
assert l[0]["type"] == "message" and l[0]["text"] == "remember the milk"
assert l[1]["photo"]["file_id"] == photo["file_id"] and l[1]["photo"]["width"] == 1280, l[1]
assert l[1]["text"] == "sunset"
assert l[2]["document"] == {"file_id": l[2]["document"]["file_id"], "file_unique_id": l[2]["document"]["file_unique_id"],
                            "file_name": "a.pdf", "mime_type": "application/pdf", "file_size": 4}, l[2]
assert l[3]["type"] == "edited_message" and l[3]["command"] == "todo" and l[3]["args"] == "remember the milk", l[3]
assert l[4]["type"] == "channel_post" and l[4]["chat_type"] == "channel" and l[4]["text"] == "news", l[4]
c = l[5]
assert c["type"] == "callback_query" and c["callback"]["data"] == "file_NOTE", c
assert c["callback"]["message_id"] == keyboard and c["status_message_id"] == keyboard, c
# The person edited their message before clicking: the click carries the current text.
assert c["message_id"] == first and c["reply_to"]["text"] == "/todo remember the milk" and c["user_id"] == 42, c
assert l[6]["type"] == "other" and "my_chat_member" in l[6]["raw"] and l[6]["chat_id"] == 42, l[6]
PY
# The photo's bytes are served through getFile and the download path.
path=$(curl -sf "$FAKE_URL/bot$M2G_TELEGRAM_TOKEN/getFile?file_id=$(json_get file_id < photo.json)" | json_get result.file_path)
[ "$(curl -sf "$FAKE_URL/file/bot$M2G_TELEGRAM_TOKEN/$path")" = JPEG ] || fail "download failed"
