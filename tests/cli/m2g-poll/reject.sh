## An update without an integer update_id is reported on stderr and appended to --reject; the
## other updates of the batch are handed off and the offset moves past them.
. "$M2G_SRC/tests/cli/common.sh"
. "$M2G_SRC/tests/cli/m2g-poll/fake.inc"
start_fake
control script '{"method":"getUpdates","responses":[{"status":200,"body":{"ok":true,"result":[
  {"update_id":"seven","message":{}},
  {"update_id":7,"message":{"message_id":1,"date":1,"chat":{"id":5,"type":"private"},"text":"kept"}},
  {"no_id":true}]}}]}' > /dev/null
poll --once --state state.db --reject rejected.jsonl > out.jsonl 2> err.txt
[ "$(json_field out.jsonl text)" = kept ] || fail "the good update was not handed off"
[ "$(n_lines rejected.jsonl)" = 2 ] || fail "expected 2 rejected updates, got: $(cat rejected.jsonl)"
grep -q '"update_id":"seven"' rejected.jsonl || fail "rejected update not kept byte for byte"
grep -q "getUpdates result 1: update without an integer update_id" err.txt || fail "not reported: $(cat err.txt)"
python3 -c 'import sqlite3; assert sqlite3.connect("state.db").execute("select next from m2g_poll_offset").fetchone()[0] == 8'
