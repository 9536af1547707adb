## Wait mode holds at most about --max-held lines: past it m2g-limit stops reading, so a heavy
## upstream blocks on the pipe instead of growing m2g-limit's memory; nothing read is lost.
. "$M2G_SRC/tests/cli/common.sh"
mkfifo feed
m2g-limit --rate 0.1 --burst 1 --max-held 100 < feed > out.jsonl 2> err.txt &
pid=$!
track $pid
# The feeder counts the lines the pipe accepted; it blocks once m2g-limit stops reading.
python3 -c '
import sys
with open("feed", "w") as f:
    for i in range(200000):
        f.write("{\"v\":1,\"kind\":\"job\",\"id\":\"%d\",\"user_id\":%d}\n" % (i, i))
        if i % 100 == 0:
            f.flush()
            open("fed", "w").write(str(i))
' 2> /dev/null &
feeder=$!
track $feeder
fed_at_least() { [ -s fed ] && [ "$(cat fed)" -ge "$1" ]; }
wait_for 30 fed_at_least 1000
# Wait until the feeder is stuck: its count stops moving.
fed=$(cat fed)
for _ in $(seq 30); do
  sleep 1
  now=$(cat fed)
  [ "$now" = "$fed" ] && break
  fed=$now
done
echo "feeder blocked after $fed lines"
# 100 held + one 64 KiB read in flight + 64 KiB in the pipe: a few thousand lines, not 200,000.
[ "$fed" -lt 10000 ] || fail "m2g-limit kept reading: the feeder wrote $fed lines"
kill -TERM $pid
code=0; wait $pid || code=$?
[ "$code" = 0 ] || fail "exit $code after SIGTERM"
kill $feeder 2>/dev/null || true
released=$(n_lines out.jsonl)
[ "$released" -ge 100 ] || fail "held lines not released at SIGTERM: $released"
# Every line read was written out, in order (one key each, so order is the input order here).
python3 - <<'PY' || fail "lines lost or reordered"
import json
ids = [int(json.loads(l)["id"]) for l in open("out.jsonl")]
assert ids == list(range(len(ids))), ids[:20]
PY
