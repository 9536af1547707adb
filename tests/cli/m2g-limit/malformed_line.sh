## A malformed line is reported with its line number and kept in --reject; the stage goes on.
. "$M2G_SRC/tests/cli/common.sh"
printf '%s\n' '{"v":1,"kind":"job","id":"a","user_id":1}' 'not json' '{"v":2,"kind":"job"}' \
  '{"v":1,"kind":"job","id":"b","user_id":1}' | m2g-limit --mode drop --reject rej.txt > out.jsonl 2> err.txt
[ "$(json_field out.jsonl id | tr '\n' ' ')" = "a b " ] || fail "good lines: $(cat out.jsonl)"
grep -q 'line 2: malformed JSON' err.txt || fail "line 2 not reported: $(cat err.txt)"
grep -q 'line 3: unsupported contract version 2' err.txt || fail "line 3 not reported: $(cat err.txt)"
printf '%s\n' 'not json' '{"v":2,"kind":"job"}' > want.txt
test_cmp want.txt rej.txt
