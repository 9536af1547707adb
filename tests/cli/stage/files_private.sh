## What the stages create is private to the user running them even when started alone with a
## permissive umask (022): queue databases, their journals and wake files 0600, folders and
## clones 0700. Before, every note and queue was readable by all users of the machine.
. "$M2G_SRC/tests/cli/common.sh"
. "$M2G_SRC/tests/cli/m2g-commit/lib.bash"
umask 022
new_remote remote.git
mkdir mine
umask 022
jobs 3 j | m2g-queue put mine/q.db -t in
m2g-teststage --in "sqlite:mine/q.db#in" --out "sqlite:mine/out.db#out" < /dev/null &
pid=$!
track $pid
wait_for 30 test -e mine/out.db
kill -TERM $pid
wait $pid || true
note_jobs 2 1 | m2g-commit --remote ./remote.git --workdir mine/clones --batch-ms 20ms > mine/results.jsonl 2> err.txt ||
  fail "m2g-commit failed: $(cat err.txt)"
m2g-route --db mine/route.db < /dev/null > /dev/null
[ -d mine/clones ] && [ -e mine/route.db ] || fail "the stages did not create what the test checks"
# mine/ itself and results.jsonl were made by this shell (umask 022): only what the stages made counts.
exposed=$(find mine -mindepth 1 -perm /077 ! -path mine/results.jsonl)
[ -z "$exposed" ] || fail "readable by others: $(echo "$exposed" | head -5 | xargs ls -ld)"
[ "$(stat -c %a mine/q.db)" = 600 ] || fail "q.db is $(stat -c %a mine/q.db)"
