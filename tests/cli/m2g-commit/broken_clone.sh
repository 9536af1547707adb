## A local clone that is missing or broken is cloned again; the jobs still land, once.
. "$M2G_SRC/tests/cli/common.sh"
. "$M2G_SRC/tests/cli/m2g-commit/lib.bash"
new_remote remote.git
note_jobs 3 1 | m2g-commit --remote ./remote.git --workdir work > /dev/null
clone=$(ls -d work/*.git)
# Damage it: no objects, a HEAD full of garbage.
rm -rf "$clone/objects"
echo garbage > "$clone/HEAD"
note_jobs 3 4 | m2g-commit --remote ./remote.git --workdir work > out.jsonl 2> err.txt
grep -q 'cloning it again' err.txt || fail "no word about re-cloning: $(cat err.txt)"
[ "$(grep -c '"kind":"result"' out.jsonl)" = 3 ] || fail "jobs after the damage failed"
rm -rf work
note_jobs 6 1 | m2g-commit --remote ./remote.git --workdir work > out2.jsonl
[ "$(grep -c '"duplicate":true' out2.jsonl)" = 6 ] || fail "a fresh clone did not see the entries"
check_once remote.git note.md 6
