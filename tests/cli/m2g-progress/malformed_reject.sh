## A malformed line and an action that cannot be made (an unknown method) are reported with
## their line numbers and kept byte for byte in --reject; the other lines still pass, exit 0.
. "$M2G_SRC/tests/cli/common.sh"
export M2G_TELEGRAM_TOKEN=1:x M2G_TELEGRAM_API_URL=http://127.0.0.1:9
printf '%s\n' '{"v":1,"kind":"job","id":"1"}' \
  '{"v":1,"kind":"job", oops' \
  '{"v":1,"kind":"action","id":"a","method":"logOut","params":{}}' \
  '{"v":1,"kind":"job","id":"2"}' > in.jsonl
m2g-progress --reject rejected.jsonl < in.jsonl > out.jsonl 2> err.txt
sed -n '2,3p' in.jsonl > expected_rejects.jsonl
test_cmp expected_rejects.jsonl rejected.jsonl
grep -q 'line 2:' err.txt || fail "line 2 not reported: $(cat err.txt)"
grep -q "line 3:.*logOut" err.txt || fail "line 3 not reported: $(cat err.txt)"
# Every well-formed line passes on, the refused action too (a later stage may want it).
sed -n '1p;3p;4p' in.jsonl > expected.jsonl
test_cmp expected.jsonl out.jsonl
