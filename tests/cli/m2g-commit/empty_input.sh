## Empty input (and blank lines) exit 0, write nothing, and make no commit.
. "$M2G_SRC/tests/cli/common.sh"
. "$M2G_SRC/tests/cli/m2g-commit/lib.bash"
new_remote remote.git
m2g-commit --remote ./remote.git < /dev/null > out.jsonl
[ ! -s out.jsonl ] || fail "output for empty input"
printf '\n  \n' | m2g-commit --remote ./remote.git > out.jsonl
[ ! -s out.jsonl ] || fail "output for blank lines"
if git -C remote.git rev-parse -q --verify main >/dev/null; then fail "a commit was made"; fi
