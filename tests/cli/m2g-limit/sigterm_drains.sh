## SIGTERM in wait mode releases held lines at once, in per-key order, and exits 0; SIGINT does
## the same and exits 130.
. "$M2G_SRC/tests/cli/common.sh"
for sig in TERM INT; do
  rm -f feed; mkfifo feed
  m2g-limit --per-key-rate 0.01 --per-key-burst 1 < feed > out.jsonl 2> err.txt &
  pid=$!
  track $pid
  exec 3> feed
  jobs 5 a | sed 's/}$/,"user_id":1}/' >&3
  wait_for 20 grep -q '"id":"a1"' out.jsonl
  sleep 0.2
  [ "$(n_lines out.jsonl)" = 1 ] || fail "lines not held (100 s per token)"
  kill -$sig $pid
  code=0; wait $pid || code=$?
  exec 3>&-
  want=0; [ $sig = INT ] && want=130
  [ "$code" = $want ] || fail "exit $code after SIG$sig, want $want"
  [ "$(json_field out.jsonl id | tr '\n' ' ')" = "a1 a2 a3 a4 a5 " ] || fail "after SIG$sig: $(cat out.jsonl)"
  grep -q "released 4 held lines" err.txt || fail "release not logged: $(cat err.txt)"
done
