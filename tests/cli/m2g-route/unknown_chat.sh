## A chat that is not allowed gets one polite refusal (naming its id) and nothing of it is
## stored: no settings, no custom files, no pending messages, no statistics.
. "$M2G_SRC/tests/cli/common.sh"
. "$M2G_SRC/tests/cli/m2g-route/helpers.inc"
updates > in.jsonl <<'SPEC'
m 1 999 10 hello
m 2 999 11 hello again
m 3 999 12 /customfile add secret
m 4 999 13 /default inbox
m 5 999 14 #todo sneak in
c 6 999 cb-1 f:note:10 500
m 7 42 15 #note allowed chat
SPEC
m2g-route --allowed-chats 42 --db r.db < in.jsonl > out.jsonl 2> err.txt
"$PY" - out.jsonl <<'PY'
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
foreign = [l for l in lines if l.get("chat_id") == 999]
sends = [l for l in foreign if l.get("method") == "sendMessage"]
assert len(sends) == 1, "expected one refusal, got %d" % len(sends)
assert "999" in sends[0]["params"]["text"]
assert [l["method"] for l in foreign if l["kind"] == "action"] == ["sendMessage", "answerCallbackQuery"], foreign
assert not [l for l in foreign if l["kind"] == "job"]
PY
for table in chat_settings custom_files route_pending route_stats; do
  [ "$(sqlite3 r.db "SELECT count(*) FROM $table WHERE chat_id = 999")" = 0 ] || fail "chat 999 stored in $table"
done
[ "$(sqlite3 r.db "SELECT count(*) FROM route_stats WHERE chat_id = 42")" = 1 ] || fail "the allowed chat was not counted"
! grep -a -q 'sneak in\|secret' r.db r.db-wal 2>/dev/null || fail "the refused chat's text is in the database"
# With no allowed chats at all, the start-up warning says everyone is refused.
msg 1 42 10 'hi' | m2g-route --db r2.db > out2.jsonl 2> err2.txt
grep -q 'every chat is refused' err2.txt || fail "no start-up warning: $(cat err2.txt)"
