## Every command gets an answer, typed as people type them (any case, @BotName, extra
## spaces); /todo, /issue and /sync become jobs for m2g-commit; unknown commands get help.
. "$M2G_SRC/tests/cli/common.sh"
. "$M2G_SRC/tests/cli/m2g-route/helpers.inc"
n=0
while IFS= read -r command; do
  n=$((n + 1))
  echo "m $n 42 $((100 + n)) $command"
done > spec.txt <<'LIST'
/start
/help
/HELP@MyBot
/llm
/llm off
/llmon
/default idea
/default
/tz
/tz UTC
/tz Nowhere/Land
/photolimit
/photolimit 5
/customfile
/customfile add journal
/customfile   list
/customfile remove journal
/insight
/stats
/cancel
/repo
/repo off
/note
/todo@MyBot   5
/issue 3
/sync
/frobnicate
/todoo
LIST
updates < spec.txt > in.jsonl
m2g-route --allowed-chats 42 --bot-username MyBot --db r.db < in.jsonl > out.jsonl
"$PY" - out.jsonl "$n" <<'PY'
import json, sys
answered = {}
for line in open(sys.argv[1], encoding="utf-8"):
    v = json.loads(line)
    answered.setdefault(v["id"] if v["kind"] == "action" else "tg:" + v["id"].rsplit(":", 1)[-1], []).append(v)
missing = [i for i in range(1, int(sys.argv[2]) + 1) if "tg:%d" % i not in answered]
if missing:
    sys.exit("commands without an answer: %s" % missing)
PY
job_field out.jsonl op > ops.txt
printf '"list_todo"\n"list_issue"\n"sync"\n' > want_ops.txt
test_cmp want_ops.txt ops.txt
job_field out.jsonl limit | sed -n 1,2p | tr '\n' ' ' | grep -x '5 3 ' > /dev/null || fail "limits: $(job_field out.jsonl limit)"
texts out.jsonl > texts.txt
grep -q "I don't know /frobnicate" texts.txt || fail "unknown command answer"
grep -q "Did you mean /todo?" texts.txt || fail "no suggestion for /todoo"
grep -q 'Unknown time zone' texts.txt || fail "bad /tz accepted"
grep -q '/customfile add|remove|list NAME' texts.txt || fail "/help lacks /customfile"
grep -q 'Photos up to <b>5 MB' texts.txt || fail "/photolimit 5"
grep -q 'Added <code>journal.md' texts.txt || fail "/customfile add"
