## Four concurrent takers plus ack deliver 100,000 lines exactly once in total.
. "$M2G_SRC/tests/cli/common.sh"
jobs 100000 x > in.jsonl
m2g-queue put q.db -t t --sync normal < in.jsonl
for i in 1 2 3 4; do
  ( m2g-queue take q.db -t t --sync normal -n 40000 | tee taken.$i.jsonl \
      | sed 's/"kind":"job"/"kind":"result"/' | m2g-queue ack q.db -t t --sync normal ) &
  track $!
done
wait
cat taken.*.jsonl | python3 -c 'import json,sys
ids=[json.loads(l)["id"] for l in sys.stdin]
assert len(ids)==100000, len(ids)
assert len(set(ids))==100000, "duplicates"' || fail "not exactly once"
# Every entry was acknowledged: the topic is empty, so stat lists no row for it.
[ -z "$(m2g-queue stat q.db --json)" ] || fail "entries left over: $(m2g-queue stat q.db --json)"
