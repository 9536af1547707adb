## The github backend loses the race for the branch (another clone pushes while the fake holds the batch's
## commit request): the 422 "not a fast forward" makes it plan the batch again on the new tip, and both
## histories are kept. A notebook past 1 MB is read and written through the API.
. "$M2G_SRC/tests/cli/common.sh"
. "$M2G_SRC/tests/cli/m2g-commit/lib.bash"
. "$M2G_SRC/tests/cli/m2g-commit/lib_fake.bash"
command -v curl > /dev/null || skip "no curl"
github_repo gh o r
python3 -c '
out = [f"<!--[{m}] [9] [2024-01-01 00:00 UTC]-->\n## old {m}\n" + "x" * 100 + "\n\n" for m in range(1000000, 1012000)]
open("big.md", "w").write("".join(out))'
seed_remote gh/o/r.git note.md big.md
start_fake_github gh
git clone -q gh/o/r.git other
export M2G_GITHUB_TOKEN=t
curl -sf -X POST "$FAKE_URL/_fake/hold?kind=commit" > /dev/null || fail "cannot hold commits"
note_jobs 10 1 | m2g-commit --backend github --remote o/r --github-api "$FAKE_URL" --batch-ms 0 --log-level info \
  > out.jsonl 2> err.txt &
pid=$!
track $pid
# The batch has read the branch and waits on the fake (its commit read or write): the other clone pushes first.
held_is() { [ "$(fake_stat held)" = "$1" ]; }
wait_for 120 held_is 1
echo "other" > other/other.md
git -C other add other.md
git -C other -c user.name=o -c user.email=o@x commit -q -m other
git -C other push -q origin HEAD:main
curl -sf -X POST "$FAKE_URL/_fake/release?kind=commit" > /dev/null || fail "cannot release commits"
wait $pid || fail "m2g-commit failed: $(cat err.txt)"
grep -q 'rejected' err.txt || fail "the push race was not noticed: $(cat err.txt)"
check_once gh/o/r.git note.md 12010
show gh/o/r.git other.md | grep -qx other || fail "the other clone's commit was lost"
[ "$(grep -c '"kind":"result"' out.jsonl)" = 10 ] || fail "results missing"
git -C gh/o/r.git fsck --strict --no-progress --no-dangling || fail "git fsck"
