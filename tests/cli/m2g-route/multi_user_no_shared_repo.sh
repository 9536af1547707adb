## Multi-user mode: a chat that registered itself files nothing into the operator's default
## repository (notes, keyboard choices, /todo and /issue lists, /sync) until it sets its own /repo,
## and is told so; the allowed (operator's) chats keep using the default repository, and
## M2G_MULTI_USER_SHARED_REPO=1 shares it with every chat on purpose.
. "$M2G_SRC/tests/cli/common.sh"
. "$M2G_SRC/tests/cli/m2g-route/helpers.inc"
updates > in.jsonl <<'SPEC'
m 1 77 1 /start
m 2 77 2 #note into the operator's repository?
m 3 77 3 just some text
m 4 77 4 /sync
m 5 77 5 /todo
m 6 77 6 /issue
m 7 77 7 /todo buy milk
m 8 42 8 #note the operator's own note
SPEC
m2g-route --multi-user --allowed-chats 42 --db r.db < in.jsonl > out.jsonl
job_field out.jsonl chat_id > chats.txt
echo 42 > want.txt
test_cmp want.txt chats.txt
job_field out.jsonl repo | grep -x null > /dev/null || fail "the operator's note should use the default repository"
[ "$(texts out.jsonl | grep -c 'no repository yet')" = 6 ] || fail "each refused request must say why: $(texts out.jsonl)"
! grep -q '"inline_keyboard"' out.jsonl || fail "a keyboard was offered to a chat that cannot file"

# Once the chat has its own repository, it files there.
updates > in2.jsonl <<'SPEC'
m 9 77 9 /repo https://example.org/me/notes.git
m 10 77 10 #note now into my own
m 11 77 11 /sync
SPEC
m2g-route --multi-user --allowed-chats 42 --db r.db < in2.jsonl > out2.jsonl
[ "$(count_kind out2.jsonl job)" = 2 ] || fail "the chat's own repository: $(texts out2.jsonl)"
job_field out2.jsonl repo | grep -c 'example.org/me/notes' | grep -x 2 > /dev/null || fail "jobs lack the chat's repo"

# The operator may share the default repository explicitly.
updates > in3.jsonl <<'SPEC'
m 1 78 1 /start
m 2 78 2 #note shared on purpose
SPEC
M2G_MULTI_USER_SHARED_REPO=1 m2g-route --multi-user --allowed-chats 42 --db r3.db < in3.jsonl > out3.jsonl
[ "$(count_kind out3.jsonl job)" = 1 ] || fail "M2G_MULTI_USER_SHARED_REPO=1 did not share: $(texts out3.jsonl)"
# A single-owner bot is unchanged: its allowed chats file without any /repo.
msg 1 42 1 '#note single owner' | m2g-route --allowed-chats 42 --db r4.db > out4.jsonl
[ "$(count_kind out4.jsonl job)" = 1 ] || fail "single-owner filing changed"
