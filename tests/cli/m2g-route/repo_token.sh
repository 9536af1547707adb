## /repo URL TOKEN: with a key file the token is stored encrypted (its bytes are nowhere in the
## database, stdout or stderr) and the message is deleted; without a key it is refused, not
## stored, and the message still deleted.
. "$M2G_SRC/tests/cli/common.sh"
. "$M2G_SRC/tests/cli/m2g-route/helpers.inc"
token='ghp_TopS3cretTokenForTheRouteTest0123456'
head -c 32 /dev/urandom > key.bin
chmod 600 key.bin
{
  msg 1 42 10 "/repo https://github.com/me/notes $token"
  msg 2 42 11 '#note after'
} > in.jsonl
M2G_KEY_FILE=key.bin m2g-route --allowed-chats 42 --db r.db --log-level debug < in.jsonl > out.jsonl 2> err.txt
grep -q '"method":"deleteMessage"' out.jsonl || fail "the token message was not deleted"
grep -q '"message_id":10' <(grep deleteMessage out.jsonl) || fail "deleted the wrong message"
texts out.jsonl | grep 'Token stored, encrypted' > /dev/null || fail "no confirmation: $(texts out.jsonl)"
for f in out.jsonl err.txt r.db r.db-wal; do
  [ ! -e "$f" ] || ! grep -a -q 'TopS3cret' "$f" || fail "token bytes found in $f"
done
[ "$(sqlite3 r.db 'SELECT substr(repo_token, 1, 5) FROM chat_settings WHERE chat_id = 42')" = "m2g1:" ] || fail "token not sealed"
job_field out.jsonl repo | grep -F '{"token": true, "url": "https://github.com/me/notes"}' > /dev/null || fail "job lacks repo: $(job_field out.jsonl repo)"

# Without a key: refused, nothing stored, message deleted, token not echoed.
msg 1 43 10 "/repo https://github.com/me/notes $token" | m2g-route --allowed-chats 43 --db r2.db > out2.jsonl 2> err2.txt
grep -q '"method":"deleteMessage"' out2.jsonl || fail "not deleted without a key"
texts out2.jsonl | grep 'no encryption key' > /dev/null || fail "no reason given: $(texts out2.jsonl)"
[ "$(sqlite3 r2.db 'SELECT count(*) FROM chat_settings WHERE repo_token IS NOT NULL OR repo_url IS NOT NULL')" = 0 ] || fail "stored without a key"
for f in out2.jsonl err2.txt r2.db r2.db-wal; do
  [ ! -e "$f" ] || ! grep -a -q 'TopS3cret' "$f" || fail "token bytes found in $f"
done
