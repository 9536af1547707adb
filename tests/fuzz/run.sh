#!/bin/sh
# Run every fuzzer in DIR for a share of SECONDS; a crash fails (exit non-zero).
#
# Most of the time goes to short inputs (-max_len=4096), where libFuzzer is fastest. The
# fuzzers of parsers that take JSON (LARGE below) get one more run with inputs up to 1 MiB,
# seeded with deeply nested documents: a depth or size bug (a recursion that overflows the
# stack at 400,000 levels) can never show within 4 KiB.
set -eu
dir=$1
total=${2:-60}
large="fuzz_decode fuzz_telegram_update fuzz_route_update fuzz_commit_job fuzz_webhook_*"
set -- "$dir"/fuzz_*
n_large=0
for fuzzer in "$@"; do
  for pattern in $large; do
    # shellcheck disable=SC2254 # the pattern is meant to match
    case $(basename "$fuzzer") in $pattern) n_large=$((n_large + 1)) ;; esac
  done
done
# A quarter of the time for the large runs, the rest shared by every fuzzer.
large_total=$((n_large > 0 ? total / 4 : 0))
share=$(((total - large_total) / $#))
[ "$share" -ge 1 ] || share=1
large_share=$((n_large > 0 ? large_total / n_large : 0))
[ "$large_share" -ge 1 ] || large_share=1

# run NAME FUZZER SECONDS MAX_LEN CORPUS: one libFuzzer run; exits on a crash.
run() {
  name=$1 fuzzer=$2 seconds=$3 max_len=$4 corpus=$5
  echo "fuzzing $name for ${seconds}s (inputs up to $max_len bytes)"
  log="$dir/$name.log"
  # -len_control=0: try long inputs at once instead of growing them slowly from short ones.
  if ! "$fuzzer" -max_total_time="$seconds" -max_len="$max_len" -len_control=0 -timeout=10 -rss_limit_mb=4096 \
      -print_final_stats=1 -artifact_prefix="$dir/$name-" "$corpus" > "$log" 2>&1; then
    tail -40 "$log"
    echo "$name: crashed; the input is in $dir/$name-crash-*" >&2
    exit 1
  fi
  grep -E 'stat::number_of_executed_units|Done' "$log" || true
}

# deep_seeds DIR: nested documents near 1 MiB, as an attacker would post them.
deep_seeds() {
  mkdir -p "$1"
  depth=400000
  { printf '{"v":1,"kind":"update","update_id":1,"message":{"chat":{"id":1},"text":'
    head -c $depth /dev/zero | tr '\0' '['; head -c $depth /dev/zero | tr '\0' ']'; printf '}}'; } > "$1/deep-array"
  { printf '{"update_id":1,"message":'
    head -c $((depth / 5)) /dev/zero | tr '\0' '\1' | sed 's/\x01/{"a":/g'; printf '1'
    head -c $((depth / 5)) /dev/zero | tr '\0' '}'; printf '}'; } > "$1/deep-object"
}

for fuzzer in "$@"; do
  name=$(basename "$fuzzer")
  corpus="$dir/corpus-$name"
  mkdir -p "$corpus"
  run "$name" "$fuzzer" "$share" 4096 "$corpus"
done
for fuzzer in "$@"; do
  name=$(basename "$fuzzer")
  for pattern in $large; do
    # shellcheck disable=SC2254
    case $name in $pattern)
      deep_seeds "$dir/corpus-large-$name"
      run "$name-large" "$fuzzer" "$large_share" 1048576 "$dir/corpus-large-$name"
      ;;
    esac
  done
done
