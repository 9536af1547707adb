## Two m2g-commit processes sharing one workdir and one remote take turns on the clone (a lock per
## repository): nothing is corrupted, every job lands once.
. "$M2G_SRC/tests/cli/common.sh"
. "$M2G_SRC/tests/cli/m2g-commit/lib.bash"
new_remote remote.git
note_jobs 300 1 > a.jsonl
note_jobs 300 301 > b.jsonl
m2g-commit --remote ./remote.git --workdir work --batch-max 7 --batch-ms 0 --attempts 50 < a.jsonl > a.out &
a=$!
track $a
m2g-commit --remote ./remote.git --workdir work --batch-max 7 --batch-ms 0 --attempts 50 < b.jsonl > b.out &
b=$!
track $b
wait $a || fail "first process failed"
wait $b || fail "second process failed"
check_once remote.git note.md 600
git -C remote.git fsck --strict --no-progress --no-dangling || fail "git fsck of the remote"
git -C "$(ls -d work/*.git)" fsck --no-progress --no-dangling || fail "git fsck of the shared clone"
