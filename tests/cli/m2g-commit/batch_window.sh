## The batch window stays open while jobs keep coming: six jobs 0.5 s apart with --batch-ms 1.5s
## are one commit (a window fixed at 1.5 s after the first job would cut them in two), a lone job
## still goes after --batch-ms, and --batch-max-wait caps the wait of a steady stream.
. "$M2G_SRC/tests/cli/common.sh"
. "$M2G_SRC/tests/cli/m2g-commit/lib.bash"
commits() { git -C "$1" rev-list --count main; }

# feed REMOTE N GAP ARGS...: N jobs GAP seconds apart into m2g-commit ARGS, then wait for N results
# while the input stays open (end of input would send a waiting batch at once).
feed() {
  local remote=$1 n=$2 gap=$3
  shift 3
  rm -f fifo out.jsonl && mkfifo fifo
  m2g-commit --remote "./$remote" "$@" < fifo > out.jsonl &
  local pid=$!
  track $pid
  exec 3> fifo
  for i in $(seq 1 "$n"); do
    note_jobs 1 "$i" >&3
    [ "$i" = "$n" ] || sleep "$gap"
  done
  results() { [ "$(grep -c '"kind":"result"' out.jsonl)" = "$n" ]; }
  wait_for 60 results
  exec 3>&-
  wait $pid || fail "m2g-commit exited $?"
}

new_remote burst.git
feed burst.git 6 0.5 --batch-ms 1.5s --batch-max-wait 60s
[ "$(commits burst.git)" = 1 ] || fail "a burst with gaps under --batch-ms took $(commits burst.git) commits"
check_once burst.git note.md 6

new_remote capped.git
feed capped.git 8 0.5 --batch-ms 1.5s --batch-max-wait 1.5s
[ "$(commits capped.git)" -ge 2 ] || fail "--batch-max-wait did not cap a steady stream: one commit"
check_once capped.git note.md 8

new_remote lone.git
start=$SECONDS
feed lone.git 1 0 --batch-ms 1s --batch-max-wait 60s
[ $((SECONDS - start)) -lt 30 ] || fail "a lone job waited for --batch-max-wait"
[ "$(commits lone.git)" = 1 ] || fail "the lone job was not committed"
