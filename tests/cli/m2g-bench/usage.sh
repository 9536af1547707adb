## The scenario mode's usage: --help exits 0 and names the scenarios, --list lists them, an
## unknown scenario or flag exits 64, no scenario exits 64.
. "$M2G_SRC/tests/cli/common.sh"
m2g-bench --help > help.txt
grep -q 'inbox-flow' help.txt || fail "--help does not name the scenarios"
grep -q -- '--plot' help.txt || fail "--help does not show --plot"
m2g-bench --list > list.txt
for name in realistic-10k realistic-10k-interactive realistic-10k-photos inbox-flow team-repo progress scaling; do
  grep -q "^$name	" list.txt || fail "--list lacks $name"
done
expect_code 64 m2g-bench no-such-scenario
expect_code 64 m2g-bench inbox-flow --no-such-flag
expect_code 64 m2g-bench
expect_code 64 m2g-bench inbox-flow --users 0
m2g-bench fake telegram --help > /dev/null || fail "the fakes must still be reachable"
