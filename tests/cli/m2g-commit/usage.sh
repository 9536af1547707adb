## --help lists the options and exits 0; unknown flags and bad values exit 64.
. "$M2G_SRC/tests/cli/common.sh"
m2g-commit --help > help.txt
for option in --remote --workdir --branch --batch-ms --batch-max --attempts --threads --author --token-file \
  --in --out --reject --in-lease; do
  grep -q -- "$option" help.txt || fail "--help does not mention $option"
done
m2g-commit --version | grep -q m2g || fail "--version"
expect_code 64 m2g-commit --no-such-flag
expect_code 64 m2g-commit --batch-ms soon
expect_code 64 m2g-commit --batch-max 0
expect_code 64 m2g-commit --author "no email" < /dev/null
