## A taken line that is never acknowledged comes back once its lease runs out; --max-tries sends it dead.
. "$M2G_SRC/tests/cli/common.sh"
# While its lease runs (a long one: a slow machine must not let it run out here), it stays away.
jobs 1 a | m2g-queue put held.db
m2g-queue take held.db --lease 600 > held.jsonl
[ "$(n_lines held.jsonl)" = 1 ] || fail "not taken"
m2g-queue take held.db --lease 600 > none.jsonl
[ ! -s none.jsonl ] || fail "delivered while leased"
# Once its lease has run out it comes back (the sleeps only need to be at least the lease).
jobs 1 a | m2g-queue put q.db
m2g-queue take q.db --lease 1 --max-tries 2 > first.jsonl
[ "$(n_lines first.jsonl)" = 1 ] || fail "not taken"
sleep 1.2
m2g-queue take q.db --lease 1 --max-tries 2 > second.jsonl
[ "$(json_field second.jsonl id)" = a1 ] || fail "not redelivered after the lease"
sleep 1.2
m2g-queue take q.db --lease 1 --max-tries 2 > third.jsonl
[ ! -s third.jsonl ] || fail "should have gone dead after 2 tries"
m2g-queue stat q.db --json | grep -q '"dead":1' || fail "not counted dead"
m2g-queue take q.db --dead | grep -q '"id":"a1"' || fail "--dead does not show it"
[ "$(m2g-queue revive q.db)" = 1 ] || fail "revive"
