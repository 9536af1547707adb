#!/bin/bash
# Benchmarks of m2g-commit (figures for docs/bench/commit.md). Binaries from PATH.
# Usage: tests/bench/commit.sh [JOBS] [RUNS] [NAIVE_JOBS]
#   1. JOBS jobs for one repository into a local bare remote (git backend): pushes and jobs/s.
#   2. The naive way on NAIVE_JOBS jobs: one `git commit` + `git push` per job with the git CLI,
#      extrapolated to JOBS.
#   3. JOBS jobs through the github backend against the fake GitHub at 80 writes/minute with
#      100 ms latency per request: seconds until the last result.
set -euo pipefail
n=${1:-10000}
runs=${2:-5}
naive_n=${3:-200}
dir=$(mktemp -d "${TMPDIR:-/tmp}/m2g-bench-XXXXXX")
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$dir"' EXIT
cd "$dir"
python3 - "$n" > jobs.jsonl <<'PY'
import json, sys
for m in range(1, int(sys.argv[1]) + 1):
    print(json.dumps({"v": 1, "kind": "job", "id": f"7:{m}", "op": "add", "target": "note", "file": "note.md",
                      "chat_id": 7, "message_id": m, "date": 1732531200 + m, "title": f"Entry {m}",
                      "text": f"A note of a typical length, number {m}, with a few words of text in it."}))
PY
now() { python3 -c 'import time; print(time.monotonic())'; }
median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

# 1. m2g-commit, git backend.
: > rates; : > pushes
for _ in $(seq "$runs"); do
  rm -rf remote.git m2g-clones
  git init -q --bare -b main remote.git
  t0=$(now)
  m2g-commit --remote ./remote.git < jobs.jsonl > out.jsonl
  t1=$(now)
  [ "$(grep -c '"kind":"result"' out.jsonl)" = "$n" ] || { echo "missing results" >&2; exit 1; }
  python3 -c "print(int($n / ($t1 - $t0)))" >> rates
  git -C remote.git rev-list --count main >> pushes
done
git_rate=$(median < rates)
echo "git backend: $n jobs, $(median < pushes) pushes (median of $runs), $git_rate jobs/s (median of $runs; runs: $(tr '\n' ' ' < rates))"

# 1b. m2g-commit itself with one commit and one push per job (--batch-max 1) on NAIVE_JOBS jobs.
: > single
for _ in $(seq "$runs"); do
  rm -rf single.git m2g-clones
  git init -q --bare -b main single.git
  t0=$(now)
  head -n "$naive_n" jobs.jsonl | m2g-commit --remote ./single.git --batch-max 1 --batch-ms 0 > out.jsonl
  t1=$(now)
  python3 -c "print(round($naive_n / ($t1 - $t0), 1))" >> single
done
single_rate=$(median < single)
echo "m2g-commit --batch-max 1: $naive_n jobs, $(git -C single.git rev-list --count main) commits, $single_rate jobs/s (median of $runs; runs: $(tr '\n' ' ' < single)); group commit is $(python3 -c "print(round($git_rate / $single_rate))")x faster"

# 2. The naive way: a commit and a push per job, git CLI.
rm -rf naive.git naive
git init -q --bare -b main naive.git
git clone -q naive.git naive 2> /dev/null
head -n "$naive_n" jobs.jsonl | python3 -c '
import json, sys
for line in sys.stdin:
    d = json.loads(line)
    print(d["message_id"], d["title"], d["text"], sep="\t")' > naive.tsv
t0=$(now)
while IFS=$'\t' read -r m title text; do
  { printf '<!--[%s] [7] [2024-11-25 10:40 UTC]-->\n## %s\n%s\n\n' "$m" "$title" "$text"; cat naive/note.md 2>/dev/null || true; } > entry.md
  mv entry.md naive/note.md
  git -C naive add note.md
  git -C naive -c user.name=m2g -c user.email=m2g@localhost commit -q -m "Add $title"
  git -C naive push -q origin HEAD:main
done < naive.tsv
t1=$(now)
naive_rate=$(python3 -c "print(round($naive_n / ($t1 - $t0), 1))")
echo "naive git CLI: $naive_n jobs in $(python3 -c "print(round($t1 - $t0, 1))") s = $naive_rate jobs/s; $n jobs would take $(python3 -c "print(round($n / $naive_rate / 60, 1))") min; m2g-commit is $(python3 -c "print(round($git_rate / $naive_rate))")x faster"

# 3. github backend against the fake GitHub at 80 writes/minute.
mkdir -p gh/o
git init -q --bare -b main gh/o/r.git
git clone -q gh/o/r.git seed 2> /dev/null
echo "# notes" > seed/README.md
git -C seed add README.md
git -C seed -c user.name=s -c user.email=s@x commit -q -m seed
git -C seed push -q origin HEAD:main
m2g-bench fake github --repos gh --port 0 --writes-per-minute 80 --latency 100ms > fake.port 2> fake.err &
for _ in $(seq 100); do [ -s fake.port ] && break; sleep 0.1; done
port=$(head -1 fake.port)
t0=$(now)
M2G_GITHUB_TOKEN=bench m2g-commit --backend github --remote o/r --github-api "http://127.0.0.1:$port" \
  < jobs.jsonl > gh.jsonl
t1=$(now)
[ "$(grep -c '"kind":"result"' gh.jsonl)" = "$n" ] || { echo "missing results (github)" >&2; exit 1; }
stats=$(curl -s "http://127.0.0.1:$port/_fake/stats")
echo "github backend vs fake GitHub (80 writes/min, 100 ms per request): $n jobs in $(python3 -c "print(round($t1 - $t0, 1))") s, $(git -C gh/o/r.git rev-list --count main) commits (1 seed); fake: $stats; one commit per message at 80/min: $(python3 -c "print(round($n / 80, 1))") min"
