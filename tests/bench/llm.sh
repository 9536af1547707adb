#!/bin/sh
# Benchmarks of m2g-llm against the fake LLM (m2g-bench fake llm) over loopback HTTP:
#   wide:  N jobs with 5 s latency, all in flight at once (--max-inflight N): wall time and
#          peak RSS of m2g-llm, and its peak anonymous memory (the heap; the rest of RSS is
#          mapped libraries), sampled from /proc/PID/smaps_rollup every 50 ms;
#   fast:  M jobs with 150 us latency and the default --max-inflight: jobs/s and the CPU time
#          per job of m2g-llm (and of the fake, which shares the machine).
# Prints one line per figure, the median of RUNS runs.
# Usage: tests/bench/llm.sh [N] [M] [RUNS]   (binaries from PATH)
set -eu
n=${1:-10000}
m=${2:-200000}
runs=${3:-5}
dir=$(mktemp -d "${TMPDIR:-/tmp}/m2g-bench-llm-XXXXXX")
fake_pid=
cleanup() {
  [ -z "$fake_pid" ] || kill "$fake_pid" 2>/dev/null || true
  rm -rf "$dir"
}
trap cleanup EXIT

jobs() {
  python3 - "$1" <<'PY'
import sys
for i in range(int(sys.argv[1])):
    sys.stdout.write('{"v":1,"kind":"job","id":"7:%d","op":"add","target":"note","chat_id":7,"message_id":%d,'
                     '"text":"note %d: remember to buy milk, eggs and bread on the way home","llm":true}\n' % (i, i, i))
PY
}
median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
start_fake() {
  # Removed first: the previous fake's port would otherwise pass the wait below before the
  # shell truncates the file for the new one, and the URL would end up with no port at all.
  rm -f "$dir/port"
  m2g-bench --log-level warn fake llm --port 0 --latency "$1" > "$dir/port" &
  fake_pid=$!
  while [ ! -s "$dir/port" ]; do sleep 0.05; done
  base="http://127.0.0.1:$(head -n1 "$dir/port")/v1"
}
stop_fake() { kill "$fake_pid"; wait "$fake_pid" 2>/dev/null || true; fake_pid=; }
# CPU seconds (user + sys) a process has used so far.
cpu_of() { awk -v hz="$(getconf CLK_TCK)" '{print ($14 + $15) / hz}' "/proc/$1/stat"; }
# run_llm JOBS_FILE EXPECTED ARGS...: run m2g-llm under /usr/bin/time; prints
# "wall user sys maxrss_kb peak_anon_kb" (the last 0 unless sample_anon=1: sampling costs CPU).
sample_anon=0
run_llm() {
  file=$1; want=$2; shift 2
  /usr/bin/time -f '%e %U %S %M' -o "$dir/time" m2g-llm --base-url "$base" --model fake --log-level warn "$@" \
    < "$file" > "$dir/out" &
  timer=$!
  anon=0
  while [ "$sample_anon" = 1 ] && kill -0 "$timer" 2>/dev/null; do
    for pid in $(pgrep -P "$timer"); do
      now=$(awk '/^Anonymous:/ {print $2}' "/proc/$pid/smaps_rollup" 2>/dev/null || true)
      [ -n "$now" ] && [ "$now" -gt "$anon" ] && anon=$now
    done
    sleep 0.05
  done
  wait "$timer"
  got=$(grep -c '"kind":"job"' "$dir/out")
  [ "$got" = "$want" ] || { echo "only $got of $want jobs came out" >&2; exit 1; }
  llm=$(grep '"kind":"job"' "$dir/out" | grep -c '"title_source":"llm"')
  [ "$llm" = "$want" ] || { echo "only $llm of $want titles from the model" >&2; exit 1; }
  echo "$(cat "$dir/time") $anon"
}

echo "ulimit -n: soft $(ulimit -Sn), hard $(ulimit -Hn); $(nproc) cores"

# fast first: the wide runs leave ~10,000 client sockets each in TIME_WAIT for 60 s, which
# would exhaust the ephemeral ports of the fast runs.
jobs "$m" > "$dir/fast.jsonl"
start_fake 150us
: > "$dir/fast"
for _ in $(seq "$runs"); do
  before=$(cpu_of "$fake_pid")
  run_llm "$dir/fast.jsonl" "$m" | awk -v m="$m" -v fake0="$before" '{printf "%d %.2f %.1f ", m / $1, ($2 + $3) * 1e6 / m, $4 / 1024}' >> "$dir/fast"
  cpu_of "$fake_pid" | awk -v m="$m" -v fake0="$before" '{printf "%.2f\n", ($1 - fake0) * 1e6 / m}' >> "$dir/fast"
done
stop_fake
echo "fast: $m jobs, 150 us latency, --max-inflight 1000: $(cut -d' ' -f1 "$dir/fast" | median) jobs/s," \
  "m2g-llm CPU $(cut -d' ' -f2 "$dir/fast" | median) us/job, fake CPU $(cut -d' ' -f4 "$dir/fast" | median) us/job," \
  "peak RSS $(cut -d' ' -f3 "$dir/fast" | median) MB (runs jobs/s: $(cut -d' ' -f1 "$dir/fast" | tr '\n' ' '))"

jobs "$n" > "$dir/wide.jsonl"
start_fake 5s
sample_anon=1
: > "$dir/wide"
for _ in $(seq "$runs"); do
  before=$(cpu_of "$fake_pid")
  printf '%s ' "$(run_llm "$dir/wide.jsonl" "$n" --max-inflight "$n")" >> "$dir/wide"
  cpu_of "$fake_pid" | awk -v fake0="$before" '{printf "%.2f\n", $1 - fake0}' >> "$dir/wide"
done
stop_fake
echo "wide: $n jobs, 5 s latency, --max-inflight $n: wall $(cut -d' ' -f1 "$dir/wide" | median) s," \
  "peak RSS $(cut -d' ' -f4 "$dir/wide" | median | awk '{printf "%.1f", $1 / 1024}') MB" \
  "(anonymous $(cut -d' ' -f5 "$dir/wide" | median | awk '{printf "%.1f", $1 / 1024}') MB)," \
  "m2g-llm CPU $(awk '{print $2 + $3}' "$dir/wide" | median) s, fake CPU $(cut -d' ' -f6 "$dir/wide" | median) s" \
  "(runs: $(cut -d' ' -f1 "$dir/wide" | tr '\n' ' '); load $(cut -d' ' -f1-3 /proc/loadavg))"

