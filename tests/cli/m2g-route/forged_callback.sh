## A ✔ or close button only acts when it came from m2g-commit's list for the clicking chat: a genuine
## /todo button ticks that TODO end to end; forged data (another chat's TODO, an unsigned close, a
## tampered id, a button replayed from another chat, a MAC under another key) is answered
## "This button is no longer valid." and emits no job. Without a key file the stages sign with an
## instance key they create in M2G_DATA_DIR; with neither, such clicks are refused.
. "$M2G_SRC/tests/cli/common.sh"
. "$M2G_SRC/tests/cli/m2g-route/helpers.inc"
. "$M2G_SRC/tests/cli/m2g-commit/lib.bash"
head -c 32 /dev/urandom > key.bin
head -c 32 /dev/urandom > other.bin
chmod 600 key.bin other.bin
new_remote remote.git
cat > todo.md <<'MD'
- [ ] <!--[12] [42]--> chat 42's TODO (2024-11-25)
- [ ] <!--[12] [43]--> chat 43's TODO (2024-11-25)
MD
cat > issue.md <<'MD'
- 🟢 me/notes#7 [a bug](https://github.com/me/notes/issues/7)
MD
seed_remote remote.git todo.md todo.md
seed_remote remote.git issue.md issue.md

# buttons KEYFILE CHAT: the callback data of m2g-commit's /todo and /issue answers to CHAT.
buttons() {
  printf '{"v":1,"kind":"job","id":"%s:list_todo:1","op":"list_todo","chat_id":%s,"message_id":9}\n{"v":1,"kind":"job","id":"%s:list_issue:1","op":"list_issue","chat_id":%s,"message_id":9}\n' "$2" "$2" "$2" "$2" |
    M2G_KEY_FILE=$1 m2g-commit --remote ./remote.git | "$PY" -c '
import json, sys
for l in sys.stdin:
    v = json.loads(l)
    for row in v.get("params", {}).get("reply_markup", {}).get("inline_keyboard", []):
        for b in row:
            if "callback_data" in b:
                assert len(b["callback_data"].encode()) <= 64, b
                print(b["callback_data"])'
}
buttons key.bin 42 > b42.txt
done42=$(grep '^done:12:' b42.txt) || fail "no signed ✔ button: $(cat b42.txt)"
close42=$(grep '^close:7:' b42.txt) || fail "no signed close button: $(cat b42.txt)"
other_key_close=$(buttons other.bin 42 | grep '^close:7:')
tampered="close:8:${close42##*:}"

# Every forgery, each from an allowed chat; none may emit a job.
updates > forged.jsonl <<SPEC
c 1 42 f1 done:12:43 600
c 2 42 f2 done:12 600
c 3 42 f3 close:7 600
c 4 43 f4 $done42 600
c 5 43 f5 $close42 600
c 6 42 f6 $tampered 600
c 7 42 f7 $other_key_close 600
SPEC
M2G_KEY_FILE=key.bin m2g-route --allowed-chats 42,43 --db r.db < forged.jsonl > forged_out.jsonl
[ "$(count_kind forged_out.jsonl job)" = 0 ] || fail "a forged button emitted a job: $(job_field forged_out.jsonl todo)"
[ "$(count_kind forged_out.jsonl action answerCallbackQuery)" = 7 ] || fail "every click must be answered"
[ "$(texts forged_out.jsonl | grep -c 'answerCallbackQuery: This button is no longer valid.')" = 7 ] ||
  fail "not every forgery was refused politely: $(texts forged_out.jsonl)"

# The genuine buttons, clicked in the chat they were sent to, become jobs for that chat.
updates > genuine.jsonl <<SPEC
c 8 42 g1 $done42 600
c 9 42 g2 $close42 601
SPEC
M2G_KEY_FILE=key.bin m2g-route --allowed-chats 42,43 --db r.db < genuine.jsonl > genuine_out.jsonl
job_field genuine_out.jsonl op | tr '\n' ' ' | grep -x '"done" "close" ' > /dev/null || fail "genuine clicks: $(job_field genuine_out.jsonl op)"
job_field genuine_out.jsonl todo | grep -F '{"chat_id": 42, "message_id": 12}' > /dev/null || fail "todo: $(job_field genuine_out.jsonl todo)"
# ... and the done job ticks exactly chat 42's TODO in the repository.
grep '"op":"done"' genuine_out.jsonl | m2g-commit --remote ./remote.git > done_out.jsonl
show remote.git todo.md > after.md
grep -qF -- '- [x] <!--[12] [42]-->' after.md || fail "chat 42's TODO not ticked: $(cat after.md)"
grep -qF -- '- [ ] <!--[12] [43]-->' after.md || fail "chat 43's TODO changed: $(cat after.md)"

# No key file: both stages sign and check with an instance key created in M2G_DATA_DIR (0600).
mkdir data
# (chat 43's TODO: chat 42's is done now, so its list has no ✔ button left)
done_data=$(export M2G_DATA_DIR=data && buttons "" 43 | grep '^done:12:') || fail "no button with the instance key"
[ "$(stat -c %a data/instance.key)" = 600 ] || fail "instance key mode $(stat -c %a data/instance.key)"
click 10 43 i1 "$done_data" 600 | M2G_DATA_DIR=data m2g-route --allowed-chats 43 --db r2.db > inst_out.jsonl
[ "$(count_kind inst_out.jsonl job)" = 1 ] || fail "a genuine button under the instance key was refused"
# ... a key that route does not have (neither a key file nor a data dir): refused.
click 11 43 i2 "$done_data" 600 | m2g-route --allowed-chats 43 --db r3.db > nokey_out.jsonl 2> nokey_err.txt
[ "$(count_kind nokey_out.jsonl job)" = 0 ] || fail "checked a button without any key"
texts nokey_out.jsonl | grep 'no longer valid' > /dev/null || fail "no refusal without a key"
