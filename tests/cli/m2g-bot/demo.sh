## m2g-bot demo runs the whole bot (all six stages over the queue) against the fake Telegram
## and fake LLM: the scripted #todo, #idea and keyboard-filed note all land in the bare
## repository (judged with git), the chat got the bot's answers, and everything stops after.
. "$M2G_SRC/tests/cli/common.sh"
for tool in m2g-poll m2g-route m2g-limit m2g-llm m2g-commit m2g-progress; do
  command -v $tool > /dev/null || skip "$tool is not built yet"
done
m2g-bot demo --data-dir d > out.txt 2> err.txt || fail "demo failed: $(tail -20 err.txt)"
repo=d/demo/notebook.git
git --git-dir=$repo show main:todo.md | grep -q -- '- \[ \] .*buy oat milk' || fail "todo.md: $(git --git-dir=$repo show main:todo.md)"
git --git-dir=$repo show main:idea.md | grep -q 'files my chat into git' || fail "idea.md"
git --git-dir=$repo show main:note.md | grep -q 'tag the <release> & write the changelog' || fail "note.md"
git --git-dir=$repo log --format=%s main | grep -q "Start my notebook" || fail "the existing history was not kept"
grep -q "=== the chat" out.txt && grep -q "bot> " out.txt || fail "no chat transcript: $(cat out.txt)"
grep -q "=== the notebook" out.txt || fail "no git log"
# Nothing is left running: the stages, the supervisor and the fakes are gone.
sleep 1
! pgrep -f "$PWD/d/demo" > /dev/null || fail "processes left: $(pgrep -af "$PWD/d/demo")"
