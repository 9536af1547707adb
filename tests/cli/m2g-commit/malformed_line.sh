## A malformed line is reported with its line number, copied to --reject, and the good jobs around it are committed.
. "$M2G_SRC/tests/cli/common.sh"
. "$M2G_SRC/tests/cli/m2g-commit/lib.bash"
new_remote remote.git
{ note_jobs 1 1; echo '{"v":1,"kind":"job",'; note_jobs 1 2; } > jobs.jsonl
m2g-commit --remote ./remote.git --reject rejects.txt < jobs.jsonl > out.jsonl 2> err.txt
grep -q 'line 2' err.txt || fail "no line number on stderr"
[ "$(cat rejects.txt)" = '{"v":1,"kind":"job",' ] || fail "reject file does not hold the bad line"
check_once remote.git note.md 2
