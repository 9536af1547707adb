## realistic-10k-interactive on a small scale: messages without #inbox get m2g-route's keyboard,
## the fake Telegram's people press 📥 INBOX (auto-click), and every message ends in the notebook
## (behind the fake GitHub) and confirmed in its chat.
. "$M2G_SRC/tests/cli/common.sh"
for tool in m2g-poll m2g-route m2g-limit m2g-llm m2g-commit m2g-progress; do
  command -v "$tool" > /dev/null || skip "$tool is not built yet"
done
command -v git > /dev/null || skip "git is not installed"

m2g-bench realistic-10k-interactive --users 5 --messages 10 --telegram-rate 1000 --json --bar never \
  --work-dir "$SCRATCH/run" --timeout 150s --confirm-timeout 100s > report.jsonl 2> err.txt ||
  { cat err.txt >&2; cat report.jsonl >&2; fail "m2g-bench exited with $?"; }
python3 - report.jsonl <<'PY' || fail "report: $(cat report.jsonl)"
import json, sys
r = json.loads(open(sys.argv[1]).readline())
assert r["scenario"] == "realistic-10k-interactive", r
assert r["messages"] == 10 and r["success_pct"] == 100, r
assert r["confirmed"] == 10 and r["confirm_complete"], r
assert r["llm_calls"] >= 10, r
PY
notebook="$SCRATCH/run/github/bench/notebook.git"
git --git-dir="$notebook" show main:inbox.md > inbox.md
[ "$(grep -c '^<!--\[' inbox.md)" = 10 ] || fail "inbox.md has $(grep -c '^<!--\[' inbox.md) entries, want 10"
# The texts carry no target: only a press on 📥 INBOX can have filed them there.
for i in $(seq 1 10); do
  grep -q "bench note $i\$" inbox.md || fail "message $i is not in inbox.md"
done
