## The github backend against the fake GitHub (real bare repositories behind its Git Data API): one commit per
## batch, every entry once, a second delivery all duplicates; past the fake's secondary limit it waits as
## Retry-After says instead of hammering, and nothing is lost.
. "$M2G_SRC/tests/cli/common.sh"
. "$M2G_SRC/tests/cli/m2g-commit/lib.bash"
. "$M2G_SRC/tests/cli/m2g-commit/lib_fake.bash"
command -v curl > /dev/null || skip "no curl"
github_repo gh o r
# 6 content-creating requests per 2 s: the 3 writes of each batch soon run into the limit.
start_fake_github gh --writes-per-minute 6 --window 2s
export M2G_GITHUB_TOKEN=test-token-1
note_jobs 200 1 > jobs.jsonl
m2g-commit --backend github --remote o/r --github-api "$FAKE_URL" --batch-max 20 --batch-ms 0 \
  --log-level info < jobs.jsonl > out.jsonl 2> err.txt
check_once gh/o/r.git note.md 200
[ "$(grep -c '"kind":"result"' out.jsonl)" = 200 ] || fail "not every job has a result"
grep -q '"url":"https://github.com/o/r/blob/main/note.md"' out.jsonl || fail "no web link to the file"
grep -q test-token-1 err.txt out.jsonl && fail "the token leaked"
[ "$(fake_stat limited)" -gt 0 ] || fail "the test never reached the fake's limit"
[ "$(fake_stat hammering)" = 0 ] || fail "requests came back before Retry-After had passed"
grep -q 'rate limit: waiting' err.txt || fail "no word about waiting for the rate limit"
commits=$(git -C gh/o/r.git rev-list --count main)
[ "$commits" -le 12 ] || fail "$commits commits for 10 batches"
m2g-commit --backend github --remote o/r --github-api "$FAKE_URL" < jobs.jsonl > again.jsonl
[ "$(grep -c '"duplicate":true' again.jsonl)" = 200 ] || fail "a second delivery was not all duplicates"
[ "$(git -C gh/o/r.git rev-list --count main)" = "$commits" ] || fail "a second delivery made a commit"
git -C gh/o/r.git fsck --strict --no-progress --no-dangling || fail "git fsck"
