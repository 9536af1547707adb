## Marking a TODO done flips exactly that line's box: every other byte of todo.md stays (headings, notes,
## hand-written items); a second "done" is a duplicate, an unknown TODO a plain error.
. "$M2G_SRC/tests/cli/common.sh"
. "$M2G_SRC/tests/cli/m2g-commit/lib.bash"
new_remote remote.git
cat > todo.md <<'MD'
# TODO

Notes I wrote by hand.

- [ ] <!--[12] [7]--> twelve (2024-11-25)
- [ ] <!--[120] [7]--> one hundred twenty (2024-11-25)
- [ ] buy a [12] thing
MD
seed_remote remote.git todo.md todo.md
done_job() { printf '{"v":1,"kind":"job","id":"7:%s:done","op":"done","chat_id":7,"todo":{"message_id":%s,"chat_id":7}}\n' "$1" "$1"; }
done_job 12 | m2g-commit --remote ./remote.git > out1.jsonl
show remote.git todo.md > after.md
sed 's/^- \[ \] <!--\[12\] \[7\]-->/- [x] <!--[12] [7]-->/' todo.md > expected.md
test_cmp expected.md after.md
[ "$(cmp -l todo.md after.md | wc -l)" = 1 ] || fail "more than one byte changed"
done_job 12 | m2g-commit --remote ./remote.git > out2.jsonl
grep -q '"duplicate":true' out2.jsonl || fail "second done is not a duplicate"
done_job 99 | m2g-commit --remote ./remote.git > out3.jsonl
grep -q '"kind":"error".*no TODO for message 99' out3.jsonl || grep -q 'no TODO for message 99.*"kind":"error"' out3.jsonl ||
  fail "unknown TODO: $(cat out3.jsonl)"
[ "$(git -C remote.git rev-list --count main)" = 2 ] || fail "duplicate or failed done jobs made commits"
