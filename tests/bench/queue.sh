#!/bin/sh
# Benchmarks of the foundation: m2g-queue put, take + ack, and a stage that only parses and
# forwards lines. Prints one line per figure: the median of RUNS runs of N lines of 200 bytes,
# by wall time and by CPU time (user + sys of every process of the pipeline: what the work
# costs, whatever else runs on a shared machine).
# Usage: tests/bench/queue.sh [N] [RUNS]   (binaries from PATH)
set -eu
n=${1:-1000000}
runs=${2:-5}
dir=$(mktemp -d "${TMPDIR:-/tmp}/m2g-bench-XXXXXX")
trap 'rm -rf "$dir"' EXIT
python3 - "$n" > "$dir/lines.jsonl" <<'PY'
import sys
n = int(sys.argv[1])
pad = "x" * 200
for i in range(n):
    head = '{"v":1,"kind":"job","id":"c:%d","text":"' % i
    sys.stdout.write(head + pad[: 200 - len(head) - 2] + '"}\n')
PY
sed 's/"kind":"job"/"kind":"progress"/' "$dir/lines.jsonl" > "$dir/progress.jsonl"

# measure FILE SHELL-COMMAND: append "lines/s-by-wall lines/s-by-cpu" of one run to FILE.
measure() {
  python3 - "$n" "$2" >> "$1" <<'PY'
import resource, subprocess, sys, time
n, cmd = int(sys.argv[1]), sys.argv[2]
# A difference: python3 may be a wrapper (a pyenv shim) whose own children's CPU time this
# process inherited across exec.
before = resource.getrusage(resource.RUSAGE_CHILDREN)
t0 = time.monotonic()
subprocess.run(["sh", "-c", cmd], check=True)
wall = time.monotonic() - t0
ru = resource.getrusage(resource.RUSAGE_CHILDREN)
cpu = ru.ru_utime - before.ru_utime + ru.ru_stime - before.ru_stime
print(int(n / wall), int(n / cpu))
PY
}
median() { sort -g -k"$2" "$1" | awk -v k="$2" '{a[NR]=$k} END {print a[int((NR+1)/2)]}'; }
report() { echo "$1 $(median "$2" 1) lines/s by wall time, $(median "$2" 2) lines/s by CPU time"; }

: > "$dir/put" ; : > "$dir/takeack" ; : > "$dir/pass" ; : > "$dir/take" ; : > "$dir/sed" ; : > "$dir/ack"
to_result='s/"kind":"job"/"kind":"result"/'
for _ in $(seq "$runs"); do
  rm -f "$dir"/q.db*
  measure "$dir/put" "m2g-queue put '$dir/q.db' -t t < '$dir/lines.jsonl'"
  measure "$dir/takeack" "m2g-queue take '$dir/q.db' -t t | sed '$to_result' | m2g-queue ack '$dir/q.db' -t t"
  measure "$dir/pass" "m2g-teststage < '$dir/progress.jsonl' > /dev/null"
  # The same three processes one after the other, through files: what each one costs.
  rm -f "$dir"/q.db*
  m2g-queue put "$dir/q.db" -t t < "$dir/lines.jsonl"
  measure "$dir/take" "m2g-queue take '$dir/q.db' -t t > '$dir/taken.jsonl'"
  measure "$dir/sed" "sed '$to_result' '$dir/taken.jsonl' > '$dir/results.jsonl'"
  measure "$dir/ack" "m2g-queue ack '$dir/q.db' -t t < '$dir/results.jsonl'"
done
report "m2g-queue put (sync=full, 200-byte lines):" "$dir/put"
report "m2g-queue take | sed | ack:               " "$dir/takeack"
report "stage pass-through (m2g-teststage):       " "$dir/pass"
report "  alone: m2g-queue take > file:           " "$dir/take"
report "  alone: sed < file > file:               " "$dir/sed"
report "  alone: m2g-queue ack < file:            " "$dir/ack"
