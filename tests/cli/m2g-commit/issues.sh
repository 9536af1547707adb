## Issues against the fake GitHub with the git backend: an ISSUE job opens one issue and records
## "- 🟢 o/r#N [title](url)" in issue.md in the same batch; delivered again (or after a crash between opening
## and recording) it opens no second issue; closing #12 flips #12's line only, never #120; /sync refreshes
## states and keeps every issue whose state could not be fetched.
. "$M2G_SRC/tests/cli/common.sh"
. "$M2G_SRC/tests/cli/m2g-commit/lib.bash"
. "$M2G_SRC/tests/cli/m2g-commit/lib_fake.bash"
command -v curl > /dev/null || skip "no curl"
github_repo gh o r
start_fake_github gh --first-issue 12 --writes-per-minute 1000
export M2G_GITHUB_TOKEN=secret-token
api() { curl -s -X "$1" -H "Authorization: Bearer secret-token" "$FAKE_URL/repos/o/r/$2" ${3:+-d "$3"}; }
# shellcheck disable=SC2120 # callers add flags in some tests
commit() { m2g-commit --remote "$PWD/gh/o/r.git" --issues-repo o/r --github-api "$FAKE_URL" "$@"; }
issue_job() {
  printf '{"v":1,"kind":"job","id":"5:%s","op":"issue","target":"issue","file":"issue.md","chat_id":5,"message_id":%s,"date":1732531200,"text":"%s","title":"%s"}\n' "$1" "$1" "$2" "$3"
}
# Issues #12 .. #120 exist on GitHub already (the fake numbers from 12); the jobs open new ones after them.
for i in $(seq 12 120); do api POST issues "{\"title\":\"old $i\"}" > /dev/null; done
printf -- '- 🟢 o/r#120 [old 120](https://github.com/o/r/issues/120)\n- 🟢 o/r#12 [old 12](https://github.com/o/r/issues/12)\n- 🟢 o/r#999 [gone from GitHub](https://github.com/o/r/issues/999)\nhand-written line\n' > issue.md
seed_remote gh/o/r.git issue.md issue.md
# A crash after opening the issue of job 5:2 and before recording it: the issue exists, with its marker.
api POST issues '{"title":"Second","body":"it broke\n\n<!-- m2g:5:2 -->"}' > /dev/null   # becomes #121
{ issue_job 1 'the app crashes' 'Crash on start'; issue_job 2 'it broke' 'Second'; } > jobs.jsonl
commit < jobs.jsonl > out1.jsonl
[ "$(fake_stat issues_created)" = 111 ] || fail "wanted one new issue, have $(fake_stat issues_created) in all"
show gh/o/r.git issue.md > after1.md
head -2 after1.md | sort > top.txt
printf -- '- 🟢 o/r#121 [Second](https://github.com/o/r/issues/121)\n- 🟢 o/r#122 [Crash on start](https://github.com/o/r/issues/122)\n' > want.txt
test_cmp want.txt top.txt
grep -q '"issue":{"number":122' out1.jsonl || fail "result does not carry the issue"
# Delivered again: no new issue, both reported as duplicates.
commit < jobs.jsonl > out2.jsonl
[ "$(fake_stat issues_created)" = 111 ] || fail "a second delivery opened an issue"
[ "$(grep -c '"duplicate":true' out2.jsonl)" = 2 ] || fail "a second delivery was not a duplicate"
# Close #12: its line only.
printf '%s\n' '{"v":1,"kind":"job","id":"5:close:1","op":"close","target":"issue","chat_id":5,"issue":{"number":12}}' | commit > out3.jsonl
show gh/o/r.git issue.md > after3.md
grep -qx -- '- 🔴 o/r#12 \[old 12\](https://github.com/o/r/issues/12)' after3.md || fail "#12 not closed in issue.md"
grep -qx -- '- 🟢 o/r#120 \[old 120\](https://github.com/o/r/issues/120)' after3.md || fail "closing #12 touched #120"
[ "$(api GET issues/12 | python3 -c 'import json,sys; print(json.load(sys.stdin)["state"])')" = closed ] || fail "#12 still open on GitHub"
[ "$(diff after1.md after3.md | grep -c '^[<>]')" = 2 ] || fail "closing changed more than one line"
# Someone closes #121 on GitHub and reopens #12; /sync brings issue.md up to date, keeps #999 as it was.
api PATCH issues/121 '{"state":"closed"}' > /dev/null
api PATCH issues/12 '{"state":"open"}' > /dev/null
printf '%s\n' '{"v":1,"kind":"job","id":"5:sync:1","op":"sync","target":"issue","chat_id":5}' | commit > out4.jsonl
show gh/o/r.git issue.md > after4.md
grep -q -- '- 🔴 o/r#121 ' after4.md || fail "sync did not close #121"
grep -q -- '- 🟢 o/r#12 ' after4.md || fail "sync did not reopen #12"
grep -qx -- '- 🟢 o/r#999 \[gone from GitHub\](https://github.com/o/r/issues/999)' after4.md || fail "sync dropped an issue it could not fetch"
grep -qx 'hand-written line' after4.md || fail "sync dropped a hand-written line"
grep -q '"unknown":1' out4.jsonl || fail "sync result does not count the unknown issue"
grep -q secret-token out*.jsonl && fail "token leaked into output"
true
