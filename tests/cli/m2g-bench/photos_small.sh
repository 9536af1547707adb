## realistic-10k-photos on a small scale: each message is a photo captioned #inbox; m2g-commit
## fetches every photo from the fake Telegram (getFile + download) and commits its bytes beside
## an entry that shows it.
. "$M2G_SRC/tests/cli/common.sh"
for tool in m2g-poll m2g-route m2g-limit m2g-llm m2g-commit m2g-progress; do
  command -v "$tool" > /dev/null || skip "$tool is not built yet"
done
command -v git > /dev/null || skip "git is not installed"

m2g-bench realistic-10k-photos --users 3 --messages 6 --telegram-rate 1000 --json --bar never \
  --work-dir "$SCRATCH/run" --timeout 150s --confirm-timeout 100s > report.jsonl 2> err.txt ||
  { cat err.txt >&2; cat report.jsonl >&2; fail "m2g-bench exited with $?"; }
python3 - report.jsonl <<'PY' || fail "report: $(cat report.jsonl)"
import json, sys
r = json.loads(open(sys.argv[1]).readline())
assert r["scenario"] == "realistic-10k-photos", r
assert r["messages"] == 6 and r["success_pct"] == 100, r
assert r["confirmed"] == 6 and r["confirm_complete"], r
assert any("photos are pushed with git" in note for note in r["notes"]), r
PY
notebook="$SCRATCH/run/notebook.git"
git --git-dir="$notebook" show main:inbox.md > inbox.md
[ "$(grep -c '^!\[bench photo [0-9]*\](photos/[0-9]*/[0-9]*/[A-Za-z0-9_-]*\.jpg)$' inbox.md)" = 6 ] ||
  fail "inbox.md does not show 6 photos: $(cat inbox.md)"
git --git-dir="$notebook" ls-tree -r --name-only main | grep '^photos/' > photos.txt
[ "$(n_lines photos.txt)" = 6 ] || fail "$(n_lines photos.txt) photos committed, want 6"
# The committed bytes are the photo's, as the fake Telegram served them (16 KB, JPEG magic).
first=$(head -1 photos.txt)
[ "$(git --git-dir="$notebook" cat-file -s "main:$first")" = 16384 ] || fail "$first has the wrong size"
[ "$(git --git-dir="$notebook" show "main:$first" | head -c 3 | od -An -tx1 | tr -d ' ')" = ffd8ff ] ||
  fail "$first does not hold the photo's bytes"
git --git-dir="$notebook" fsck --strict --no-progress --no-dangling || fail "git fsck"
