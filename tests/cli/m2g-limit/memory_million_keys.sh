## 1,000,000 distinct users pass through drop mode with memory bounded: idle buckets are
## forgotten, and --max-keys caps the table even when every bucket is still busy.
. "$M2G_SRC/tests/cli/common.sh"
# grep without -q reads all of ldd's output: with pipefail, -q could kill ldd by SIGPIPE and fail the test.
if ldd "$(command -v m2g-limit)" | grep libasan > /dev/null; then
  skip "peak RSS means nothing under AddressSanitizer (shadow memory, quarantine)"
fi
python3 -c '
import sys
w = sys.stdout.write
for i in range(1000000):
    w("{\"v\":1,\"kind\":\"job\",\"id\":\"%d\",\"user_id\":%d}\n" % (i, 1000000000 + i))
' > in.jsonl
peak_kb() { awk '/^VmHWM:/ {print $2}' "/proc/$1/status"; }
run() {  # run LIMIT_KB ARGS...: feed all lines, check the peak RSS while the process still runs
  local limit_kb=$1; shift
  rm -f feed; mkfifo feed
  m2g-limit --mode drop --rate 1e9 --burst 1e9 "$@" < feed > out.jsonl &
  local pid=$!
  track $pid
  exec 3> feed
  cat in.jsonl >&3
  wait_for 120 test "$(n_lines out.jsonl)" -ge 1000000
  local peak; peak=$(peak_kb $pid)
  exec 3>&-
  wait $pid || fail "exit $?"
  [ "$(grep -c '"kind":"rejection"' out.jsonl)" = 0 ] || fail "generous limits refused lines"
  echo "peak RSS ${peak} kB with $*"
  [ "$peak" -lt "$limit_kb" ] || fail "peak RSS ${peak} kB >= ${limit_kb} kB with $*"
}
# Each user's bucket is full again 1 us after its line: forgotten almost at once.
run 24000 --per-key-rate 1e6 --per-key-burst 1e6
# Each bucket stays busy for 1 s (1 token of 1/s spent, burst 1000): without --max-keys the table
# would hold every user seen in the last second; with it, it stays at 100,000 keys.
run 24000 --per-key-rate 1 --per-key-burst 1000 --max-keys 100000
