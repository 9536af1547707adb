## Numeric flags are range-checked: `take --max -1` (it meant "no limit") and absurd numbers
## exit 64 with the flag named, and take nothing from the queue; sensible values still work.
. "$M2G_SRC/tests/cli/common.sh"
jobs 3 j | m2g-queue put q.db
for args in "--max -1" "--max 99999999999999999999" "--max 10000000000" "--lease 0" "--lease -5" \
  "--lease 999999999999" "--max-tries -1" "--max-tries 100000000000"; do
  code=0
  # shellcheck disable=SC2086 # one flag and its value
  m2g-queue take q.db $args > out.jsonl 2> err.txt || code=$?
  [ "$code" = 64 ] || fail "take $args: expected exit 64, got $code"
  flag=${args%% *}
  grep -q -e "$flag" err.txt || fail "take $args: the error does not name $flag: $(cat err.txt)"
  [ ! -s out.jsonl ] || fail "take $args printed lines"
done
[ "$(m2g-queue take q.db --max 2 --lease 60 --max-tries 3 | wc -l)" = 2 ] || fail "valid flags took the wrong count"
[ "$(m2g-queue take q.db --max 0 | wc -l)" = 1 ] || fail "--max 0 (all) did not take the rest"
