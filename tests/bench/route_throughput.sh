#!/usr/bin/env bash
# Throughput of m2g-route: N messages (each answered with a keyboard, a pending row written)
# followed by N clicks (each a job, a pending row marked filed, a usage count), through the
# real binary on a fresh database. Prints the median of RUNS runs of each half.
# Usage: tests/bench/route_throughput.sh [BUILD_DIR (default build)] [N] [RUNS]
set -euo pipefail
bin=${1:-build}/bin/m2g-route
n=${2:-10000}
runs=${3:-5}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
/usr/bin/python3 - "$n" "$dir" <<'PY'
import json, sys
n, d = int(sys.argv[1]), sys.argv[2]
with open(d + "/messages.jsonl", "w") as m, open(d + "/clicks.jsonl", "w") as c:
    for i in range(1, n + 1):
        chat = 1000 + i % 50
        m.write(json.dumps({"v": 1, "kind": "update", "id": "tg:%d" % i, "update_id": i, "type": "message",
                            "chat_id": chat, "user_id": 7, "message_id": i, "date": 1732531200,
                            "text": "message number %d with some text to file" % i}) + "\n")
        c.write(json.dumps({"v": 1, "kind": "update", "id": "tg:%d" % (n + i), "update_id": n + i,
                            "type": "callback_query", "chat_id": chat, "user_id": 7, "message_id": 10**6 + i,
                            "callback": {"id": "cb%d" % i, "data": "f:note:%d" % i, "message_id": 10**6 + i}}) + "\n")
PY
chats=$(seq -s, 1000 1049)
measure() { # FILE DB -> seconds
  local start end
  start=$(date +%s.%N)
  "$bin" --allowed-chats "$chats" --db "$2" < "$1" > "$dir/out.jsonl" 2> /dev/null
  end=$(date +%s.%N)
  echo "$end - $start" | bc
}
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
: > "$dir/m.txt"
: > "$dir/c.txt"
for run in $(seq "$runs"); do
  rm -f "$dir"/r.db*
  measure "$dir/messages.jsonl" "$dir/r.db" >> "$dir/m.txt"
  measure "$dir/clicks.jsonl" "$dir/r.db" >> "$dir/c.txt"
done
m=$(median < "$dir/m.txt")
c=$(median < "$dir/c.txt")
printf 'messages: %d in %.3f s median = %.0f updates/s\n' "$n" "$m" "$(echo "$n / $m" | bc -l)"
printf 'clicks:   %d in %.3f s median = %.0f updates/s\n' "$n" "$c" "$(echo "$n / $c" | bc -l)"
