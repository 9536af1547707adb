## --help and --version exit 0; an unknown flag or a missing argument exits 64.
. "$M2G_SRC/tests/cli/common.sh"
m2g-queue --help > help.txt
grep -q 'take' help.txt || fail "--help does not list take"
m2g-queue take --help | grep -q -- '--lease' || fail "take --help lacks --lease"
m2g-queue --version | grep -q 'm2g' || fail "--version"
expect_code 64 m2g-queue put --no-such-flag q.db
expect_code 64 m2g-queue take
expect_code 64 m2g-queue
expect_code 64 m2g-queue put q.db --sync sometimes
