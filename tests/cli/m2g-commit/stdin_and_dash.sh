## Jobs are read from stdin by default and with --in -; lines it does not own pass through unchanged;
## each job gives one "committing" progress line and its result.
. "$M2G_SRC/tests/cli/common.sh"
. "$M2G_SRC/tests/cli/m2g-commit/lib.bash"
new_remote remote.git
note_jobs 2 1 > jobs.jsonl
echo '{"v":1,"kind":"update","id":"tg:1","text":"pass me"}' >> jobs.jsonl
m2g-commit --remote ./remote.git < jobs.jsonl > out1.jsonl
note_jobs 2 3 | m2g-commit --remote ./remote.git --in - > out2.jsonl
grep -qxF '{"v":1,"kind":"update","id":"tg:1","text":"pass me"}' out1.jsonl || fail "update not passed through byte for byte"
[ "$(grep -c '"kind":"result"' out1.jsonl)" = 2 ] || fail "stdin: results missing"
[ "$(grep -c '"kind":"result"' out2.jsonl)" = 2 ] || fail "--in -: results missing"
check_once remote.git note.md 4
# Per job: one "committing" progress line, then its result, which is the final state (no
# "pushed" progress line in between: m2g-progress would only read it to drop it).
[ "$(grep -c '"step":"committing"' out1.jsonl)" = 2 ] || fail "committing progress missing: $(cat out1.jsonl)"
! grep -q '"step":"pushed"' out1.jsonl || fail "a progress line repeats what the result says: $(cat out1.jsonl)"
