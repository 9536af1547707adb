## A process killed in the middle of a ref update leaves git's lock file in the clone
## (refs/remotes/origin/main.lock, packed-refs.lock): the next m2g-commit, holding the clone's
## own lock, removes them and commits, instead of failing every fetch until its jobs run out
## of tries (seen after kill -9 in kill9_queue).
. "$M2G_SRC/tests/cli/common.sh"
. "$M2G_SRC/tests/cli/m2g-commit/lib.bash"
new_remote remote.git
note_jobs 3 1 | m2g-commit --remote ./remote.git > out1.jsonl 2> err1.txt || fail "first run: $(tail -3 err1.txt)"
clone=$(find m2g-clones -maxdepth 1 -name '*.git' -type d | head -1)
[ -n "$clone" ] && [ -f "$clone/refs/remotes/origin/main" ] || fail "no clone with a remote-tracking main: $(find m2g-clones | head)"
: > "$clone/refs/remotes/origin/main.lock"
: > "$clone/packed-refs.lock"
note_jobs 3 4 | m2g-commit --remote ./remote.git --attempts 2 > out2.jsonl 2> err2.txt || fail "second run: $(tail -3 err2.txt)"
[ "$(grep -c '"kind":"result"' out2.jsonl)" = 3 ] || fail "jobs failed behind the stale lock: $(grep error out2.jsonl | head -2)"
grep -q "removing the stale lock file '.*main.lock'" err2.txt || fail "the stale lock was not reported: $(cat err2.txt)"
[ ! -e "$clone/refs/remotes/origin/main.lock" ] && [ ! -e "$clone/packed-refs.lock" ] || fail "lock files left"
check_once remote.git note.md 6

# In the remote, a lock is not m2g-commit's to remove: the job fails, retryable, naming the file.
: > remote.git/refs/heads/main.lock
note_jobs 1 7 | m2g-commit --remote ./remote.git --attempts 2 > out3.jsonl 2> err3.txt
grep -q '"kind":"error".*locked by another push.*remote.git/refs/heads/main.lock.*"retryable":true' out3.jsonl ||
  fail "a locked remote branch was not named: $(cat out3.jsonl)"
[ -e remote.git/refs/heads/main.lock ] || fail "m2g-commit removed the remote's lock"
