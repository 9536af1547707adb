#!/bin/bash
# Pipe figures for docs/bench/limit.md: drop-mode throughput with limits that admit everything,
# the rate achieved in wait mode, and peak memory with 1,000,000 distinct users.
#   tests/bench/limit_pipe.sh [BIN_DIR]   (default build/bin)
set -euo pipefail
bin=${1:-build/bin}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

python3 -c '
import sys
w = sys.stdout.write
for i in range(2000000):
    w("{\"v\":1,\"kind\":\"job\",\"id\":\"%d:77\",\"chat_id\":%d,\"message_id\":77,\"text\":\"buy milk\",\"user_id\":%d}\n"
      % (i, 500 + i % 10000, 1000000000 + i % 10000))
' > "$dir/2m.jsonl"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "drop mode, 2,000,000 lines of 10,000 users, limits that admit everything (5 runs):"
for run in 1 2 3 4 5; do
  /usr/bin/time -f "%e %U %S" -o "$dir/time.$run" "$bin/m2g-limit" --mode drop --rate 1e9 --burst 1e9 \
    --per-key-rate 1e6 --per-key-burst 1e6 < "$dir/2m.jsonl" > /dev/null
  read -r wall user sys < "$dir/time.$run"
  echo "  run $run: wall ${wall} s, cpu $(echo "$user + $sys" | bc) s"
  echo "$wall" >> "$dir/walls"
  echo "$user + $sys" | bc >> "$dir/cpus"
done
wall=$(median < "$dir/walls")
cpu=$(median < "$dir/cpus")
echo "  median wall ${wall} s: $(echo "2000000 / $wall" | bc) lines/s; median cpu ${cpu} s: $(echo "2000000 / $cpu" | bc) lines/s of cpu"

python3 -c '
import sys
w = sys.stdout.write
for i in range(105000):
    w("{\"v\":1,\"kind\":\"job\",\"id\":\"%d\",\"user_id\":%d}\n" % (i, i % 1000))
' > "$dir/105k.jsonl"
echo "wait mode, 105,000 lines of 1,000 users, --rate 5000 --burst 5000 (burst 5,000 at once, then 100,000 at the rate):"
# The reader starts m2g-limit, so it is waiting when the first line comes: timed from the first
# line out to the last (admissions), and from process start (including start-up).
python3 - "$bin" "$dir/105k.jsonl" <<'PY'
import subprocess, sys, time
bin_dir, path = sys.argv[1], sys.argv[2]
t_spawn = time.monotonic()
p = subprocess.Popen([bin_dir + "/m2g-limit", "--rate", "5000", "--burst", "5000", "--per-key-rate", "1000",
                      "--per-key-burst", "1000"], stdin=open(path), stdout=subprocess.PIPE)
first = None
n = 0
for line in p.stdout:
    n += 1
    if first is None:
        first = time.monotonic()
last = time.monotonic()
p.wait()
print("  %d lines; first to last line %.3f s: %.1f lines/s after the burst (configured 5000);"
      " from process start %.3f s: %.1f lines/s" % (n, last - first, (n - 5000) / (last - first),
                                                      last - t_spawn, (n - 5000) / (last - t_spawn)))
PY

python3 -c '
import sys
w = sys.stdout.write
for i in range(1000000):
    w("{\"v\":1,\"kind\":\"job\",\"id\":\"%d\",\"user_id\":%d}\n" % (i, 1000000000 + i))
' > "$dir/1m.jsonl"
for limits in "--per-key-rate 1e6 --per-key-burst 1e6" "--per-key-rate 30 --per-key-burst 30" \
              "--per-key-rate 1 --per-key-burst 1000"; do
  # shellcheck disable=SC2086
  /usr/bin/time -f "%M" -o "$dir/rss" "$bin/m2g-limit" --mode drop --rate 1e9 --burst 1e9 $limits \
    < "$dir/1m.jsonl" > /dev/null
  echo "1,000,000 distinct users, drop mode, $limits: peak RSS $(cat "$dir/rss") kB"
done
