## /stats shows every chat's figures (and custom file names) only to admin chats (M2G_ADMIN_CHATS,
## by default the allowed chats); any other chat sees only its own figures.
. "$M2G_SRC/tests/cli/common.sh"
. "$M2G_SRC/tests/cli/m2g-route/helpers.inc"
updates > in.jsonl <<'SPEC'
m 1 42 1 /customfile add private/diary
m 2 42 2 /default private/diary
m 3 42 3 dear diary
m 4 77 4 /start
m 5 77 5 /repo https://example.org/stranger/notes.git
m 6 77 6 #idea mine
m 7 77 7 /stats
m 8 42 8 /stats
SPEC
m2g-route --multi-user --allowed-chats 42 --db r.db < in.jsonl > out.jsonl
texts out.jsonl | grep 'Your usage' > stranger.txt || fail "the stranger did not get its own figures: $(texts out.jsonl)"
! grep -q 'diary' stranger.txt || fail "the stranger saw another chat's custom file: $(cat stranger.txt)"
grep -q 'Messages filed: 1 ' stranger.txt || fail "the stranger's own count: $(cat stranger.txt)"
texts out.jsonl | grep 'Usage of all chats' | grep 'diary' > /dev/null || fail "the operator lost the global figures"
# M2G_ADMIN_CHATS names the admin chats: the allowed chat 42 then sees only its own.
msg 9 42 9 /stats | M2G_ADMIN_CHATS=99 m2g-route --multi-user --allowed-chats 42 --db r.db > out2.jsonl
texts out2.jsonl | grep 'Your usage' > /dev/null || fail "M2G_ADMIN_CHATS was not honoured: $(texts out2.jsonl)"
