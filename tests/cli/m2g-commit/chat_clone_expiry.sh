## The clone of a chat's repository is removed once no batch used it for --chat-clone-idle (by
## any process: its FETCH_HEAD's time is its last use), while the default repository's clone
## and recently used ones stay. Strangers' repositories no longer pile up under --workdir.
. "$M2G_SRC/tests/cli/common.sh"
. "$M2G_SRC/tests/cli/m2g-commit/lib.bash"
new_remote default.git
new_remote a.git
new_remote b.git
# chat_job URL CHAT: one job of CHAT whose repository is URL.
chat_job() {
  note_jobs 1 1 note "$2" | python3 -c '
import json, sys
for l in sys.stdin:
    d = json.loads(l); d["repo"] = {"url": sys.argv[1]}; print(json.dumps(d))' "$1"
}
{ chat_job "$PWD/a.git" 7; note_jobs 1 1; } | m2g-commit --remote ./default.git --allow-local-repos --workdir clones > out1.jsonl
[ "$(grep -c '"kind":"result"' out1.jsonl)" = 2 ] || fail "first run: $(cat out1.jsonl)"
clone_a=$(ls -d clones/a-*.git)
clone_default=$(ls -d clones/default-*.git)
# Both clones were last used two hours ago.
find "$clone_a" "$clone_default" -maxdepth 1 -exec touch -d '2 hours ago' {} +
chat_job "$PWD/b.git" 8 | m2g-commit --remote ./default.git --allow-local-repos --workdir clones \
  --chat-clone-idle 1h > out2.jsonl 2> err2.txt
[ "$(grep -c '"kind":"result"' out2.jsonl)" = 1 ] || fail "second run: $(cat out2.jsonl)"
[ ! -e "$clone_a" ] || fail "the idle chat clone $clone_a was kept"
[ -d "$clone_default" ] || fail "the default repository's clone was removed"
ls -d clones/b-*.git > /dev/null || fail "the clone in use was removed"
grep -q 'removed the clone a-' err2.txt || fail "the removal was not logged: $(cat err2.txt)"
# A clone used within the period stays.
chat_job "$PWD/a.git" 9 | m2g-commit --remote ./default.git --allow-local-repos --workdir clones \
  --chat-clone-idle 1h > out3.jsonl
ls -d clones/b-*.git > /dev/null || fail "a clone used a moment ago was removed"
