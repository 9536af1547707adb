## --tiers gives a user its own rate; SIGHUP rereads the file and the new rate takes effect; a
## bad file on reload keeps the old tiers with a warning.
. "$M2G_SRC/tests/cli/common.sh"
echo '7 0.001 2   # user 7: two lines, then nothing for a long time' > tiers.txt
mkfifo feed
m2g-limit --mode drop --per-key-rate 1000 --per-key-burst 1000 --tiers tiers.txt < feed > out.jsonl 2> err.txt &
pid=$!
track $pid
exec 3> feed
job() { echo "{\"v\":1,\"kind\":\"job\",\"id\":\"$1\",\"user_id\":$2}" >&3; }
job a1 7; job a2 7; job a3 7; job b1 8; job b2 8; job b3 8
wait_for 20 grep -q '"id":"b3"' out.jsonl
[ "$(grep -c '"kind":"rejection"' out.jsonl)" = 1 ] || fail "tier 0.001/s burst 2 should refuse a3: $(cat out.jsonl)"
grep '"kind":"rejection"' out.jsonl | grep -q '"id":"a3"' || fail "a3 not refused"

# A broken file on reload: warning, old tiers stay.
echo 'seven fast' > tiers.txt
kill -HUP $pid
wait_for 20 grep -q "keeping the 1 tiers in use" err.txt
job a4 7
wait_for 20 grep -q '"id":"a4"' out.jsonl
grep '"id":"a4"' out.jsonl | grep -q '"kind":"rejection"' || fail "old tier lost after a bad reload"

# A good file: user 7 now gets 1000/s with burst 1000 (the spent 2 ms stay spent; 1 s of room).
echo '7 1000 1000' > tiers.txt
kill -HUP $pid
wait_for 20 grep -q "reloaded 1 tiers from 'tiers.txt'" err.txt
for i in 5 6 7 8 9; do job a$i 7; done
wait_for 20 grep -q '"id":"a9"' out.jsonl
[ "$(grep -c '"kind":"rejection"' out.jsonl)" = 2 ] || fail "new tier not in effect: $(cat out.jsonl)"
exec 3>&-
wait $pid || fail "exit $?"
