## --help lists the options and exits 0; --version exits 0; unknown flags and bad values exit
## 64; a bad key file exits 78 and a missing one 66.
. "$M2G_SRC/tests/cli/common.sh"
m2g-route --help > help.txt
for option in --in --out --reject --db --key-file --allowed-chats --multi-user --llm-configured \
  --pending-expiry --photo-limit --bot-username --max-custom-files; do
  grep -q -- "$option" help.txt || fail "--help lacks $option"
done
m2g-route --version | grep -q m2g || fail "--version"
expect_code 64 m2g-route --no-such-flag < /dev/null
expect_code 64 m2g-route --photo-limit 50 < /dev/null
expect_code 64 m2g-route --pending-expiry soon < /dev/null
expect_code 64 m2g-route --allowed-chats 12,abc --db r.db < /dev/null
echo 'not a key' > bad.key
expect_code 78 m2g-route --key-file bad.key --db r.db < /dev/null
expect_code 66 m2g-route --key-file missing.key --db r.db < /dev/null
