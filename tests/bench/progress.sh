#!/bin/sh
# Benchmark of m2g-progress (figures in docs/bench/progress.md). Needs the built binaries on
# PATH (m2g-bench with the fake Telegram, m2g-teststage, m2g-progress, m2g-queue):
#   PATH=$PWD/build/bin:$PATH tests/bench/progress.sh
# Environment: N (jobs, default 100), DELAY_MS (job time in the stand-in stage, default 1000),
# RUNS (pairs of runs, default 5), LATENCY (each sendMessage/editMessageText, default 200ms),
# BUDGET_N (jobs for the confirmation-budget figure, default 1000; 0 skips it), EVENTS_CHATS,
# EVENTS_PER_CHAT, EVENTS_RUNS (the coalescing figure: default 1000 chats x 10 events, 3 runs;
# 0 runs skips it), TAIL_RUNS, TAIL_N, TAIL_CHUNK (the tail of realistic-10k on m2g-progress alone:
# TAIL_N results written to its input queue TAIL_CHUNK at a time after TAIL_N status messages;
# default 0 runs, 10000 results, chunks of 500; RUNS=0 skips the on/off figure).
set -eu
exec python3 "$(dirname "$0")/progress_bench.py" "$@"
