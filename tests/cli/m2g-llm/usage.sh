## --help and --version exit 0; unknown flags, bad values and bad configuration exit 64, 66 or 78.
. "$M2G_SRC/tests/cli/common.sh"
m2g-llm --help > help.txt
grep -q -- '--base-url' help.txt || fail "--help does not list --base-url"
grep -q -- '--max-inflight' help.txt || fail "--help does not list --max-inflight"
m2g-llm --version | grep -q m2g || fail "--version"
expect_code 64 m2g-llm --no-such-flag < /dev/null
expect_code 64 m2g-llm --timeout soon < /dev/null
expect_code 64 m2g-llm --max-inflight 0 < /dev/null
expect_code 64 m2g-llm --base-url ftp://example.com --model m < /dev/null
expect_code 78 m2g-llm --base-url http://127.0.0.1:9/v1 < /dev/null
expect_code 66 m2g-llm --key-file missing.key < /dev/null
expect_code 66 m2g-llm --prompt-file missing.txt < /dev/null
: > empty.txt
expect_code 78 m2g-llm --prompt-file empty.txt < /dev/null
