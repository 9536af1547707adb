## #todo, #idea, #note, #inbox, #tool and #issue file at once without the question (the tag
## stripped); /default files without asking; a reply /todo files the replied message.
. "$M2G_SRC/tests/cli/common.sh"
. "$M2G_SRC/tests/cli/m2g-route/helpers.inc"
updates > in.jsonl <<'SPEC'
m 1 42 10 #todo buy milk
m 2 42 11 #IDEA   a better mousetrap
m 3 42 12 #note meeting notes
m 4 42 13 #inbox read later
m 5 42 14 #tool jq
m 6 42 15 #issue it crashes
m 7 42 16 /default inbox
m 8 42 17 no question asked
m 9 42 18 /default off
m 10 42 19 water the plants
x 11 42 20 {"reply_to":{"message_id":19,"text":"water the plants","from_bot":false}} /todo
SPEC
m2g-route --allowed-chats 42 --db r.db < in.jsonl > out.jsonl
job_field out.jsonl target > targets.txt
printf '"todo"\n"idea"\n"note"\n"inbox"\n"tool"\n"issue"\n"inbox"\n"todo"\n' > want_targets.txt
test_cmp want_targets.txt targets.txt
job_field out.jsonl text > job_texts.txt
printf '"buy milk"\n"a better mousetrap"\n"meeting notes"\n"read later"\n"jq"\n"it crashes"\n"no question asked"\n"water the plants"\n' > want_texts.txt
test_cmp want_texts.txt job_texts.txt
job_field out.jsonl op | sed -n 6p | grep -x '"issue"' > /dev/null || fail "#issue must be op issue"
job_field out.jsonl id | tail -1 | grep -x '"42:19"' > /dev/null || fail "a reply files the replied message's id"
# The only keyboard is for the message sent with no default and no tag (19).
[ "$(count_kind out.jsonl action sendMessage)" = 3 ] || fail "expected 2 /default replies and 1 keyboard"
grep -q '"callback_data":"f:note:19"' out.jsonl || fail "no keyboard for message 19"
