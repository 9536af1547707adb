#!/bin/sh
# make bench: every benchmark script in tests/bench/, in turn. Figures are recorded, with the
# command that produced each, in docs/BENCHMARKS.md.
set -eu
here=$(dirname "$0")
for script in "$here"/*.sh; do
  [ "$(basename "$script")" = run.sh ] && continue
  echo "== $(basename "$script")"
  "$script"
done
