#!/bin/sh
# Benchmarks of the foundation: m2g-queue put, take + ack, and a stage that only parses and
# forwards lines. Prints one line per figure: the median of RUNS runs of N lines of 200 bytes.
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

now() { python3 -c 'import time; print(time.monotonic())'; }
median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
rate() { python3 -c "import sys; print(int($n / (float(sys.argv[2]) - float(sys.argv[1]))))" "$1" "$2"; }

: > "$dir/put" ; : > "$dir/takeack" ; : > "$dir/pass"
for _ in $(seq "$runs"); do
  rm -f "$dir"/q.db*
  t0=$(now); m2g-queue put "$dir/q.db" -t t < "$dir/lines.jsonl"; t1=$(now)
  rate "$t0" "$t1" >> "$dir/put"
  t0=$(now)
  m2g-queue take "$dir/q.db" -t t | sed 's/"kind":"job"/"kind":"result"/' | m2g-queue ack "$dir/q.db" -t t
  t1=$(now)
  rate "$t0" "$t1" >> "$dir/takeack"
  t0=$(now); m2g-teststage < "$dir/progress.jsonl" > /dev/null; t1=$(now)
  rate "$t0" "$t1" >> "$dir/pass"
done
echo "m2g-queue put (sync=full, 200-byte lines): $(median < "$dir/put") lines/s"
echo "m2g-queue take | ack:                       $(median < "$dir/takeack") lines/s"
echo "stage pass-through (m2g-teststage):         $(median < "$dir/pass") lines/s"
