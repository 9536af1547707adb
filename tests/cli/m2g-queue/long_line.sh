## A line longer than 1 MiB is rejected (whole, into --reject) and put carries on with the next.
. "$M2G_SRC/tests/cli/common.sh"
python3 -c 'import sys; sys.stdout.write("{\"v\":1,\"kind\":\"job\",\"id\":\"a\"}\n{\"x\":\"" + "y"*(1<<21) + "\"}\n{\"v\":1,\"kind\":\"job\",\"id\":\"b\"}\n")' > in.jsonl
expect_code 1 m2g-queue put q.db --reject rej.txt < in.jsonl 2> err.txt
grep -q 'line 2: line longer than' err.txt || fail "over-long line not reported: $(cat err.txt)"
[ "$(wc -c < rej.txt)" -gt 2000000 ] || fail "the over-long line was not kept whole"
m2g-queue take q.db > out.jsonl
[ "$(json_field out.jsonl id | tr '\n' ' ')" = "a b " ] || fail "lines around the long one were lost"
