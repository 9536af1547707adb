#!/bin/bash
# Debug m2g-commit alone: commit job lines (a file, or stdin) into a throwaway bare repository
# and show the result with git. Nothing touches your real notebook.
#   examples/debug/commit-to-scratch.sh jobs.jsonl
#   m2g-queue take data/queue.db -t commit --lease 5 | examples/debug/commit-to-scratch.sh
set -euo pipefail
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
git init -q --bare -b main "$scratch/notebook.git"
m2g-commit --remote "$scratch/notebook.git" --workdir "$scratch/clones" < "${1:-/dev/stdin}"
echo "--- git log --stat" >&2
git --git-dir="$scratch/notebook.git" log --stat main
