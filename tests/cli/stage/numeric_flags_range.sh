## Every tool's numeric flags refuse negative and absurd values with exit 64 and the flag named,
## before doing anything (no unbounded waits, no wrapped unsigned numbers, no overflowed durations).
. "$M2G_SRC/tests/cli/common.sh"
check() {
  local tool=$1 flag=$2 value=$3
  command -v "$tool" > /dev/null || skip "$tool is not built yet"
  local code=0
  "$tool" "$flag" "$value" < /dev/null > out.txt 2> err.txt || code=$?
  [ "$code" = 64 ] || fail "$tool $flag $value: expected exit 64, got $code: $(head -3 err.txt)"
  grep -q -e "$flag" err.txt || fail "$tool $flag $value: the error does not name the flag: $(cat err.txt)"
}
for value in -1 1e30 99999999999999999999; do
  check m2g-limit --rate "$value"
  check m2g-limit --per-key-rate "$value"
  check m2g-limit --max-held "$value"
  check m2g-limit --in-lease "$value"
  check m2g-llm --max-tokens "$value"
  check m2g-llm --breaker-failures "$value"
  check m2g-llm --retries "$value"
  check m2g-llm --max-inflight "$value"
  check m2g-commit --batch-max "$value"
  check m2g-commit --photo-memory "$value"
  check m2g-commit --photo-limit "$value"
  check m2g-commit --github-writes-per-minute "$value"
  check m2g-progress --per-chat-rate "$value"
  check m2g-progress --global-rate "$value"
  check m2g-progress --max-frames "$value"
  check m2g-progress --max-inflight "$value"
  check m2g-progress --max-jobs "$value"
  check m2g-progress --retries "$value"
  check m2g-poll --timeout "$value"
  check m2g-poll --limit "$value"
  check m2g-route --photo-limit "$value"
  check m2g-route --max-custom-files "$value"
done
# Durations: negative and longer than a year are refused (a huge one overflowed to a negative wait).
for value in -1s 1e30s 9000h 9999999999999m; do
  check m2g-commit --batch-ms "$value"
  check m2g-llm --timeout "$value"
  check m2g-route --pending-expiry "$value"
  check m2g-poll --max-backoff "$value"
done
