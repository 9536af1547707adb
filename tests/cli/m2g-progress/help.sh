## --help exits 0 and shows the options the man page documents (rates, frames, token file).
. "$M2G_SRC/tests/cli/common.sh"
m2g-progress --help > help.txt
for option in --api-url --token-file --per-chat-rate --global-rate --max-frames --max-jobs --max-inflight --timeout --retries --reject; do
  grep -q -- "$option" help.txt || fail "--help does not show $option"
done
