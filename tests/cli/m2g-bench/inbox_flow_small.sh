## A small inbox-flow run (20 messages from 4 users, zero latency) drives the real stages end to
## end: every message committed to the notebook and confirmed in the fake Telegram, JSON report.
. "$M2G_SRC/tests/cli/common.sh"
for tool in m2g-poll m2g-route m2g-limit m2g-llm m2g-commit m2g-progress; do
  command -v "$tool" > /dev/null || skip "$tool is not built yet"
done
command -v git > /dev/null || skip "git is not installed"

# Generous timeouts: an ASan build on a loaded box starts and runs slowly.
m2g-bench inbox-flow --users 4 --messages 20 --telegram-rate 1000 --json --bar never \
  --work-dir "$SCRATCH/run" --timeout 150s --confirm-timeout 100s --plot latency.svg > report.jsonl 2> err.txt ||
  { cat err.txt >&2; cat report.jsonl >&2; fail "m2g-bench exited with $?"; }
[ "$(n_lines report.jsonl)" = 1 ] || fail "one run, one JSON line: $(cat report.jsonl)"
python3 - report.jsonl <<'PY' || fail "report: $(cat report.jsonl)"
import json, sys
r = json.loads(open(sys.argv[1]).readline())
assert r["scenario"] == "inbox-flow", r
assert r["messages"] == 20 and r["users"] == 4, r
assert r["success_pct"] == 100, r
assert r["succeeded"] == 20 and r["failed"] == 0, r
assert r["commits"] >= 1, r
assert r["confirmed"] == 20 and r["confirm_complete"], r
assert r["total_s"] > 0 and r["confirm_s"] >= r["total_s"] * 0.5, r
assert 0 < r["p50_s"] <= r["p99_s"] <= r["total_s"] + 1e-9, r
assert r["peak_rss_mb"] > 0 and len(r["stages"]) == 6, r
for name, stage in r["stages"].items():
    assert stage["peak_rss_mb"] > 0, (name, stage)
    assert stage["exit_code"] == 0, (name, stage)
    assert stage["cpu_s"] > 0, (name, stage)
assert r["ideal_s"] >= 0 and r["efficiency"] >= 0, r
PY
# The notebook (behind the fake GitHub: the scenario's 200 µs per commit) holds every message,
# once, judged by git itself.
notebook="$SCRATCH/run/github/bench/notebook.git"
git --git-dir="$notebook" show main:inbox.md > inbox.md
[ "$(grep -c '^<!--\[' inbox.md)" = 20 ] || fail "inbox.md has $(grep -c '^<!--\[' inbox.md) entries, want 20"
for i in $(seq 1 20); do
  grep -q "bench note $i\$" inbox.md || fail "message $i is not in inbox.md"
done
# Its first commit is the repository's own, made before the run.
[ "$(($(git --git-dir="$notebook" rev-list --count main) - 1))" = "$(python3 -c 'import json,sys; print(json.loads(open(sys.argv[1]).readline())["commits"])' report.jsonl)" ] ||
  fail "commits in the report differ from git's count"
grep -q '<svg' latency.svg || fail "no plot"
grep -q '</svg>' latency.svg || fail "plot cut short"
