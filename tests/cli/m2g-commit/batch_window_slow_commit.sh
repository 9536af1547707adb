## A batch's longest wait is never shorter than the repository's last commit took: with commits
## taking 4 s, four jobs 0.5 s apart after a first commit are one more commit, although
## --batch-max-wait 1s alone would cut them in two (the rest would wait out a whole commit).
. "$M2G_SRC/tests/cli/common.sh"
. "$M2G_SRC/tests/cli/m2g-commit/lib.bash"
. "$M2G_SRC/tests/cli/m2g-commit/lib_fake.bash"
command -v curl > /dev/null || skip "no curl"
github_repo gh o r
start_fake_github gh --latency commit=4s
export M2G_GITHUB_TOKEN=test-token-1
results() { [ "$(grep -c '"kind":"result"' out.jsonl)" = "$1" ]; }

mkfifo fifo
m2g-commit --backend github --remote o/r --github-api "$FAKE_URL" --batch-ms 1s --batch-max-wait 1s \
  < fifo > out.jsonl 2> err.txt &
pid=$!
track $pid
exec 3> fifo
note_jobs 1 1 >&3
wait_for 60 results 1
for i in 2 3 4 5; do
  note_jobs 1 "$i" >&3
  [ "$i" = 5 ] || sleep 0.5
done
wait_for 60 results 5
exec 3>&-
wait $pid || fail "m2g-commit exited $?"
check_once gh/o/r.git note.md 5
# The seed commit, the first job's, and one for the four.
commits=$(git -C gh/o/r.git rev-list --count main)
[ "$commits" = 3 ] || fail "$commits commits: the four jobs were cut into more than one batch"
