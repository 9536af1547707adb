## TODO ✔ buttons (done:ID:MAC) and close buttons (close:N:MAC) from m2g-commit's lists become
## jobs done and close; CANCEL files nothing; a crafted button is answered and files nothing.
. "$M2G_SRC/tests/cli/common.sh"
. "$M2G_SRC/tests/cli/m2g-route/helpers.inc"
head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' > key.hex
chmod 600 key.hex
updates > in.jsonl <<SPEC
c 1 42 cb-1 $(signed "done" 77 42 key.hex) 600
c 2 42 cb-2 $(signed close 12 42 key.hex) 601
m 3 42 10 changed my mind
c 4 42 cb-3 x:10 500
c 5 42 cb-4 f:note:10 500
c 6 42 cb-5 coffee_simulate_1_100 502
SPEC
M2G_KEY_FILE=key.hex m2g-route --allowed-chats 42 --db r.db < in.jsonl > out.jsonl
job_field out.jsonl op > ops.txt
printf '"done"\n"close"\n' > want.txt
test_cmp want.txt ops.txt
job_field out.jsonl todo | grep -F '{"chat_id": 42, "message_id": 77}' > /dev/null || fail "todo: $(job_field out.jsonl todo)"
job_field out.jsonl issue | grep -F '{"number": 12}' > /dev/null || fail "issue: $(job_field out.jsonl issue)"
job_field out.jsonl id | sed -n 1p | grep -x '"42:77:done"' > /dev/null || fail "done id"
[ "$(count_kind out.jsonl action answerCallbackQuery)" = 5 ] || fail "every click must be answered"
texts out.jsonl | grep 'Cancelled: nothing was filed' > /dev/null || fail "cancel did not edit the keyboard"
texts out.jsonl | grep 'no longer valid' > /dev/null || fail "crafted button not answered"
