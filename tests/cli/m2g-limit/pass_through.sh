## Lines of kinds not subject to limiting cross at once while jobs of a limited user are held,
## via stdin or --in -; with --kinds, other kinds are limited instead.
. "$M2G_SRC/tests/cli/common.sh"
mkfifo feed
m2g-limit --in - --per-key-rate 0.01 --per-key-burst 1 < feed > out.jsonl &
pid=$!
track $pid
exec 3> feed
echo '{"v":1,"kind":"job","id":"j1","user_id":7}' >&3
echo '{"v":1,"kind":"job","id":"j2","user_id":7}' >&3
for kind in progress result action rejection error future_kind; do
  echo "{\"v\":1,\"kind\":\"$kind\",\"id\":\"$kind\",\"user_id\":7}" >&3
done
wait_for 20 grep -q '"id":"future_kind"' out.jsonl
grep -q '"id":"j1"' out.jsonl || fail "first job not admitted at once"
grep -q '"id":"j2"' out.jsonl && fail "second job not held (100 s per token)"
[ "$(n_lines out.jsonl)" = 7 ] || fail "expected 7 lines so far, got $(n_lines out.jsonl)"
kill -TERM $pid
exec 3>&-
wait $pid || fail "exit $? after SIGTERM"
grep -q '"id":"j2"' out.jsonl || fail "held job lost at SIGTERM"

# --kinds progress: now progress is limited and jobs pass.
printf '%s\n' '{"v":1,"kind":"progress","id":"p1","user_id":1}' '{"v":1,"kind":"progress","id":"p2","user_id":1}' \
  '{"v":1,"kind":"job","id":"j1","user_id":1}' '{"v":1,"kind":"job","id":"j2","user_id":1}' \
  | m2g-limit --mode drop --kinds progress --per-key-burst 1 > out2.jsonl
[ "$(json_field out2.jsonl kind | tr '\n' ' ')" = "progress rejection job job " ] || fail "--kinds: $(cat out2.jsonl)"
