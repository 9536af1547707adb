## A stage that holds a secret is not dumpable (no core file with the token in it, no ptrace by
## other processes of the same user): run as another user, m2g-llm with M2G_LLM_API_KEY has its
## /proc/PID files owned by root, as the kernel does for undumpable processes, while m2g-limit
## (no secret) keeps that user's.
. "$M2G_SRC/tests/cli/common.sh"
[ "$(id -u)" = 0 ] || skip "needs root to start a stage as another user"
command -v setpriv > /dev/null || skip "needs setpriv (util-linux)"
nobody=65534
# start_stage TOOL [ENV...]: TOOL run as $nobody, idle on its stdin (fd 3 keeps it open); sets $pid.
start_stage() {
  local tool=$1
  shift
  rm -f in && mkfifo in
  env "$@" setpriv --reuid=$nobody --regid=$nobody --clear-groups "$M2G_BIN/$tool" < in > /dev/null 2> err.txt &
  pid=$!
  track $pid
  exec 3> in
  wait_for 10 sh -c "[ \"\$(cat /proc/$pid/comm 2> /dev/null)\" = $tool ]"
}
stop_stage() {
  exec 3>&-
  wait $pid || true
}
owned_by_root() { [ "$(stat -c %u "/proc/$pid/environ")" = 0 ]; }
start_stage m2g-limit
! owned_by_root || fail "m2g-limit (no secret) is not dumpable: the check cannot tell"
stop_stage
start_stage m2g-llm M2G_LLM_API_KEY=sk-test-secret
wait_for 10 owned_by_root # it reads the key at startup
stop_stage
