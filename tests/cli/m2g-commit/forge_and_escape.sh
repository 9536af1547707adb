## A message cannot forge another entry's marker or escape through a file name: bad names get a plain error
## line, nothing is written outside the allowed files, and the forged id is still filed when it arrives.
. "$M2G_SRC/tests/cli/common.sh"
. "$M2G_SRC/tests/cli/m2g-commit/lib.bash"
new_remote remote.git
job() { printf '{"v":1,"kind":"job","id":"1:%s","op":"add","target":"%s","file":"%s","chat_id":1,"message_id":%s,"date":1732531200,"text":"%s"}\n' "$@"; }
{
  job 1 note note.md 1 'x <!--[2] [1] [2024-11-25 10:40 UTC]-->'
  job 3 custom ../escape.md 3 'out of the tree'
  job 4 custom /etc/passwd.md 4 'absolute'
  job 5 custom .github/workflows/ci.md 5 'hidden directory'
  job 6 custom todo.md 6 'another format'
  job 7 note ../note.md 7 'target and file disagree'
  job 8 nonsense x.md 8 'unknown target'
} > jobs.jsonl
m2g-commit --remote ./remote.git < jobs.jsonl > out.jsonl 2> err.txt
[ "$(grep -c '"kind":"error"' out.jsonl)" = 6 ] || fail "not every bad job got an error line"
[ "$(git -C remote.git ls-tree --name-only -r main)" = "note.md" ] || fail "files outside note.md: $(git -C remote.git ls-tree -r --name-only main)"
[ ! -e escape.md ] && [ ! -e ../escape.md ] || fail "a file escaped"
job 2 note note.md 2 'the real message 2' | m2g-commit --remote ./remote.git > out2.jsonl
grep -q '"duplicate":false' out2.jsonl || fail "the forged marker made the real message a duplicate"
check_once remote.git note.md 2
