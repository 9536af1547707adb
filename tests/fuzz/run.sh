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
  log="$dir/$(basename "$fuzzer").log"
  if ! "$fuzzer" -max_total_time="$share" -max_len=4096 -timeout=10 -print_final_stats=1 \
      -artifact_prefix="$dir/" "$corpus" > "$log" 2>&1; then
    tail -40 "$log"
    echo "$(basename "$fuzzer"): crashed; the input is in $dir/crash-*" >&2
    exit 1
  fi
  grep -E 'stat::number_of_executed_units|Done' "$log" || true
done
