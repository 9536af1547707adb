## m2g-commit started before m2g-route has created the settings database (m2g-bot and m2g-bench
## start every stage at once) runs anyway: default-repository jobs are committed, and once the
## database exists a chat's own token is looked up in it (it was: exit 73 at start).
. "$M2G_SRC/tests/cli/common.sh"
. "$M2G_SRC/tests/cli/m2g-commit/lib.bash"
new_remote remote.git
new_remote chat.git
head -c 32 /dev/urandom > key && chmod 600 key
mkfifo feed
m2g-commit --remote ./remote.git --settings-db s.db --key-file key --allow-local-repos --batch-ms 20ms \
  < feed > out.jsonl 2> err.txt &
pid=$!
track $pid
exec 3> feed
note_jobs 2 1 >&3
two() { [ "$(grep -c '"kind":"result"' out.jsonl)" = 2 ]; }
wait_for 60 two
# m2g-route creates the database now; a job that says its chat stored a token is looked up there.
m2g-route --db s.db < /dev/null > /dev/null 2>&1
[ -f s.db ] || fail "m2g-route did not create s.db"
note_jobs 1 3 note 9 | python3 -c '
import json, sys
d = json.loads(sys.stdin.read()); d["repo"] = {"url": sys.argv[1], "token": True}; print(json.dumps(d))' "$PWD/chat.git" >&3
exec 3>&-
wait $pid || fail "m2g-commit exited $?: $(cat err.txt)"
check_once remote.git note.md 2
grep -q 'chat 9: no stored token for this repository' err.txt || fail "the late database was not read: $(cat err.txt)"
