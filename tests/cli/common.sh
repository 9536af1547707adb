# Sourced by every CLI test: strict mode, a scratch directory (kept when the test fails),
# and small helpers in the spirit of git's test-lib and mold's common.inc.
set -euo pipefail

: "${M2G_BIN:?M2G_BIN must point at the built binaries}"
export PATH="$M2G_BIN:$PATH"
export LC_ALL=C.UTF-8

SCRATCH=$(mktemp -d "${TMPDIR:-/tmp}/m2g-cli-XXXXXX")
cd "$SCRATCH"
_m2g_pids=()
_m2g_at_exit=()
_m2g_cleanup() {
  local rc=$?
  local hook
  for hook in "${_m2g_at_exit[@]}"; do eval "$hook" || true; done
  for pid in "${_m2g_pids[@]}"; do kill -9 "$pid" 2>/dev/null || true; done
  if [ "$rc" -eq 0 ] || [ "$rc" -eq 77 ]; then
    rm -rf "$SCRATCH"
  else
    echo "scratch directory kept: $SCRATCH" >&2
  fi
}
trap _m2g_cleanup EXIT

# Remember a background process so it is killed when the test ends.
track() { _m2g_pids+=("$1"); }

# at_exit CMD: run CMD when the test ends, before the tracked processes are killed (a test
# must not replace the EXIT trap: its processes would outlive it and its scratch dir stay).
at_exit() { _m2g_at_exit+=("$1"); }

fail() { echo "FAIL: $*" >&2; exit 1; }
skip() { echo "SKIP: $*" >&2; exit 77; }

# expect_code N CMD...: run CMD, fail unless it exits with N.
expect_code() {
  local want=$1; shift
  local got=0
  "$@" || got=$?
  [ "$got" -eq "$want" ] || fail "expected exit $want, got $got: $*"
}

# test_cmp EXPECTED ACTUAL: the files must be identical.
test_cmp() { diff -u "$1" "$2" || fail "$2 differs from $1"; }

# n_lines FILE: number of lines.
n_lines() { wc -l < "$1" | tr -d ' '; }

# jobs N PREFIX: N contract lines of kind job with ids PREFIX1..PREFIXN, on stdout.
jobs() { seq 1 "$1" | awk -v p="$2" '{printf "{\"v\":1,\"kind\":\"job\",\"id\":\"%s%d\",\"text\":\"note %d\"}\n", p, $1, $1}'; }

# wait_for SECONDS CMD...: poll CMD (every 50 ms) until it succeeds or time runs out.
wait_for() {
  local limit=$1; shift
  local end=$((SECONDS + limit))
  until "$@"; do
    [ "$SECONDS" -lt "$end" ] || fail "timed out waiting for: $*"
    sleep 0.05
  done
}

# fifo_drained FIFO: true once the reader of FIFO has read everything written to it (FIONREAD is 0),
# so a test can wait for a stage to have its input in hand instead of sleeping and hoping.
fifo_drained() { python3 -c 'import fcntl,os,struct,sys,termios
fd=os.open(sys.argv[1], os.O_WRONLY|os.O_NONBLOCK)
n=struct.unpack("i", fcntl.ioctl(fd, termios.FIONREAD, b"\0\0\0\0"))[0]
sys.exit(0 if n==0 else 1)' "$1"; }

# json_field FILE FIELD: print FIELD of every JSON line in FILE.
json_field() { python3 -c 'import json,sys
for l in open(sys.argv[1]):
    l=l.strip()
    if l: v=json.loads(l).get(sys.argv[2]); print("" if v is None else v)' "$1" "$2"; }
