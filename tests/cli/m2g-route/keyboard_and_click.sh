## A message gets the filing keyboard; a click becomes exactly one job (with the answer and a
## "queued" progress event); a second click on the same keyboard files nothing (golden output).
. "$M2G_SRC/tests/cli/common.sh"
. "$M2G_SRC/tests/cli/m2g-route/helpers.inc"
updates > in.jsonl <<'SPEC'
m 1 42 10 Buy <b>milk</b> & eggs_now *soon*
c 2 42 cb-1 f:note:10 500
c 3 42 cb-2 f:idea:10 500
SPEC
m2g-route --allowed-chats 42 --llm-configured --db route.db < in.jsonl > out.jsonl
norm out.jsonl > actual.jsonl
test_cmp "$ROUTE_DIR/keyboard_and_click.expected.jsonl" actual.jsonl
[ "$(count_kind out.jsonl job)" = 1 ] || fail "expected exactly one job"
