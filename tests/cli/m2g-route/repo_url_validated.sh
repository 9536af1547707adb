## /repo judges the URL with the same validator m2g-commit uses for every job: ssh://, git@host:,
## HTTPS:// (upper case), http:// and numeric private addresses are refused at once with a
## reason, and nothing is stored; an https:// URL is stored and its jobs carry it, and m2g-commit
## refuses a job under the same rules (an allow-list) in the same words.
. "$M2G_SRC/tests/cli/common.sh"
. "$M2G_SRC/tests/cli/m2g-route/helpers.inc"
unset M2G_REPO_ALLOW_PRIVATE M2G_REPO_ALLOWED_HOSTS
{
  msg 1 42 10 "/repo ssh://git@github.com/me/notes.git"
  msg 2 42 11 "/repo git@github.com:me/notes.git"
  msg 3 42 12 "/repo HTTPS://github.com/me/notes"
  msg 4 42 13 "/repo http://github.com/me/notes"
  msg 5 42 14 "/repo https://127.0.0.1/me/notes"
  msg 6 42 15 "/repo https://[::ffff:10.0.0.1]/me/notes"
} > refused.jsonl
m2g-route --allowed-chats 42 --db r.db < refused.jsonl > out.jsonl 2> err.txt
[ "$(texts out.jsonl | grep -c 'Nothing saved')" = 6 ] || fail "not every bad URL was refused: $(texts out.jsonl)"
texts out.jsonl | grep 'use an https:// URL' > /dev/null || fail "no hint for ssh URLs: $(texts out.jsonl)"
texts out.jsonl | grep 'lower case' > /dev/null || fail "no hint for HTTPS://: $(texts out.jsonl)"
texts out.jsonl | grep 'not allowed on this server' > /dev/null || fail "no reason for a private address: $(texts out.jsonl)"
[ "$(sqlite3 r.db 'SELECT count(*) FROM chat_settings WHERE repo_url IS NOT NULL')" = 0 ] || fail "a refused URL was stored"

# The operator's allow-list is the route's too.
msg 1 42 20 "/repo https://github.com/me/notes" | M2G_REPO_ALLOWED_HOSTS=gitea.lan m2g-route --allowed-chats 42 --db r.db > listed.jsonl
texts listed.jsonl | grep 'allowed hosts' > /dev/null || fail "the allow-list was not applied: $(texts listed.jsonl)"

# A good URL is stored and its job names it; m2g-commit judges that job by the same rules (here
# an allow-list without github.com: refused before any connection, in the route's words).
{
  msg 1 42 30 "/repo https://github.com/me/notes"
  msg 2 42 31 "#note hello"
} | m2g-route --allowed-chats 42 --db r.db > good.jsonl
texts good.jsonl | grep 'Repository set' > /dev/null || fail "a good URL was refused: $(texts good.jsonl)"
job_field good.jsonl repo | grep -F '"url": "https://github.com/me/notes"' > /dev/null || fail "job lacks the repo"
grep '"kind":"job"' good.jsonl | M2G_REPO_ALLOWED_HOSTS=gitea.lan m2g-commit --remote ./default.git > commit.jsonl 2> commit.err || true
grep -q 'cannot be used' commit.jsonl || fail "m2g-commit and m2g-route disagree on the allow-list: $(cat commit.jsonl)"
