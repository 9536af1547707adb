## --help exits 0 and lists every option; bad flags and values exit 64; a bad tiers file exits 78.
. "$M2G_SRC/tests/cli/common.sh"
m2g-limit --help > help.txt
for opt in --rate --burst --per-key-rate --per-key-burst --key --mode --kinds --max-held --max-keys --tiers \
           --in --out --reject; do
  grep -q -- "$opt" help.txt || fail "--help does not mention $opt"
done
expect_code 64 m2g-limit --no-such-flag < /dev/null
expect_code 64 m2g-limit --mode sometimes < /dev/null
expect_code 64 m2g-limit --rate 0 < /dev/null
expect_code 64 m2g-limit --per-key-burst 0.5 < /dev/null
expect_code 64 m2g-limit --key 'from..id' < /dev/null
expect_code 64 m2g-limit --kinds job,nonsense < /dev/null
expect_code 78 m2g-limit --tiers missing.txt < /dev/null 2> err.txt
grep -q "cannot read tiers file 'missing.txt'" err.txt || fail "missing tiers file not named: $(cat err.txt)"
printf '42 100 200\n43 fast 1\n' > bad.txt
expect_code 78 m2g-limit --tiers bad.txt < /dev/null 2> err.txt
grep -q "'bad.txt' line 2: rate 'fast' is not a number" err.txt || fail "bad tiers line not named: $(cat err.txt)"
# Empty input: nothing out, exit 0, through stdin and through '-'.
expect_code 0 m2g-limit < /dev/null > out.jsonl
[ ! -s out.jsonl ] || fail "output from empty input"
expect_code 0 m2g-limit --in - --out - < /dev/null > out.jsonl
[ ! -s out.jsonl ] || fail "output from empty input"
