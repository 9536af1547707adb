## Eight processes that create one new queue file at the same moment all succeed (switching a
## new file to WAL can report "database is locked" without SQLite's busy handler; m2g-bot starts
## six stages on one fresh queue.db at once), 20 rounds, and every line is stored.
. "$M2G_SRC/tests/cli/common.sh"
for round in $(seq 1 20); do
  rm -f race.db race.db-wal race.db-shm
  pids=()
  for i in $(seq 1 8); do
    echo "{\"v\":1,\"kind\":\"job\",\"id\":\"$round:$i\"}" | m2g-queue put race.db -t "t$i" 2>> err.txt &
    pids+=($!)
  done
  for pid in "${pids[@]}"; do wait "$pid" || fail "round $round: a put failed: $(tail -1 err.txt)"; done
  for i in $(seq 1 8); do
    [ "$(m2g-queue take race.db -t "t$i" | grep -c "\"id\":\"$round:$i\"")" = 1 ] || fail "round $round: topic t$i lost its line"
  done
done
