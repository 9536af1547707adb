## In multi-user mode each job names its chat's repository: jobs land in their own repository, batches of
## different repositories are separate commits, and a chat may not name a local path unless allowed.
. "$M2G_SRC/tests/cli/common.sh"
. "$M2G_SRC/tests/cli/m2g-commit/lib.bash"
new_remote a.git
new_remote b.git
for chat in 1 2; do
  repo=$([ $chat = 1 ] && echo "$PWD/a.git" || echo "$PWD/b.git")
  note_jobs 20 1 note $chat | python3 -c '
import json, sys
for l in sys.stdin:
    d = json.loads(l); d["repo"] = {"url": sys.argv[1]}; print(json.dumps(d))' "$repo"
done > jobs.jsonl
m2g-commit --allow-local-repos < jobs.jsonl > out.jsonl
check_once a.git note.md 20
check_once b.git note.md 20
show a.git note.md | grep -q '^<!--\[1\] \[2\]' && fail "chat 2 wrote into chat 1's repository"
m2g-commit < jobs.jsonl > refused.jsonl
[ "$(grep -c '"kind":"error"' refused.jsonl)" = 40 ] || fail "local paths from jobs were accepted without --allow-local-repos"
grep -q 'https://' refused.jsonl || fail "the refusal does not say what is allowed"
