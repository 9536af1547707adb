## 1,000 jobs become a few commits with every entry present once; the same 1,000 jobs sent again are all
## reported as duplicates and change nothing (at-least-once in, exactly-once in the repository).
. "$M2G_SRC/tests/cli/common.sh"
. "$M2G_SRC/tests/cli/m2g-commit/lib.bash"
new_remote remote.git
note_jobs 1000 1 > jobs.jsonl
m2g-commit --remote ./remote.git < jobs.jsonl > out1.jsonl
commits=$(git -C remote.git rev-list --count main)
[ "$commits" -le 5 ] || fail "1,000 jobs took $commits commits"
check_once remote.git note.md 1000
[ "$(grep -c '"kind":"result"' out1.jsonl)" = 1000 ] || fail "not every job has a result"
grep -q '"duplicate":true' out1.jsonl && fail "a first delivery was called a duplicate"
tip=$(git -C remote.git rev-parse main)
m2g-commit --remote ./remote.git < jobs.jsonl > out2.jsonl
[ "$(git -C remote.git rev-parse main)" = "$tip" ] || fail "a second delivery made a commit"
[ "$(grep -c '"duplicate":true' out2.jsonl)" = 1000 ] || fail "second delivery not reported as duplicates"
check_once remote.git note.md 1000
git -C remote.git fsck --strict --no-progress --no-dangling || fail "git fsck"
