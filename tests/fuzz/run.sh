#!/bin/sh
# Run every fuzzer in DIR for a share of SECONDS; a crash fails (exit non-zero).
set -eu
dir=$1
total=${2:-60}
set -- "$dir"/fuzz_*
share=$(( total / $# ))
[ "$share" -ge 1 ] || share=1
for fuzzer in "$@"; do
  corpus="$dir/corpus-$(basename "$fuzzer")"
  mkdir -p "$corpus"
  echo "fuzzing $(basename "$fuzzer") for ${share}s"
  "$fuzzer" -max_total_time="$share" -max_len=4096 -timeout=10 -print_final_stats=1 "$corpus" 2>&1 | tail -5
done
