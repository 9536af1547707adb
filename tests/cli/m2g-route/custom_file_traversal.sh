## Custom file names that could leave or hide in the repository (../../etc/passwd, /etc/passwd,
## .git/config, a//b) are refused with a reason and never stored; a good name is stored.
. "$M2G_SRC/tests/cli/common.sh"
. "$M2G_SRC/tests/cli/m2g-route/helpers.inc"
updates > in.jsonl <<'SPEC'
m 1 42 10 /customfile add ../../etc/passwd
m 2 42 11 /customfile add /etc/passwd
m 3 42 12 /customfile add .git/config
m 4 42 13 /customfile add a//b
m 5 42 14 /customfile add notes/../../x
m 6 42 15 /customfile add books/reading
SPEC
m2g-route --allowed-chats 42 --db r.db < in.jsonl > out.jsonl
texts out.jsonl > texts.txt
[ "$(grep -c 'Not a usable file name' texts.txt)" = 5 ] || fail "not every bad name was refused: $(cat texts.txt)"
[ "$(sqlite3 r.db 'SELECT group_concat(name) FROM custom_files')" = "books/reading.md" ] || fail "stored: $(sqlite3 r.db 'SELECT name FROM custom_files')"
