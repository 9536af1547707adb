## examples/crontab's flush reads the env file as m2g-bot does, as data: the notebook gets the
## inbox line, and a value such as "$(touch pwned)" is never run (the example used to source the
## file as shell code, running whatever it held).
. "$M2G_SRC/tests/cli/common.sh"
for tool in m2g-queue m2g-llm m2g-commit; do command -v $tool > /dev/null || skip "$tool is not built yet"; done
git init -q --bare -b main nb.git
git init -q -b main seed && echo '# notes' > seed/README.md && git -C seed add README.md &&
  git -C seed -c user.name=T -c user.email=t@e commit -q -m seed && git -C seed push -q "$PWD/nb.git" main
mkdir data
cat > m2g.env <<ENV
# as examples/m2g.env: M2G_NAME=VALUE lines
M2G_REPO=$PWD/nb.git
M2G_DATA_DIR=$PWD/data
M2G_COMMIT_AUTHOR="m2g <m2g@example.org>"
M2G_NOTE_FOR_LATER=\$(touch $PWD/pwned)
ENV
printf '%s\n' '{"v":1,"kind":"job","id":"mail-1","op":"add","target":"inbox","file":"inbox.md","text":"call the bank","chat_id":42,"message_id":1,"date":1764000000}' |
  m2g-queue put data/queue.db -t inbox
# The crontab line as cron runs it (/bin/sh), with this test's paths.
line=$(grep -E '^\*/10 ' "$M2G_SRC/examples/crontab" | cut -d' ' -f6-)
line=${line//\/etc\/m2g\/m2g.env/$PWD/m2g.env}
line=${line//\/usr\/local\/share\/m2g\/examples/$M2G_SRC/examples}
line=${line//logger -t m2g-flush/cat > flush.log}
[ -n "$line" ] || fail "no */10 line in examples/crontab"
env -u M2G_DATA_DIR -u M2G_REPO sh -c "$line" || fail "the crontab command failed: $(cat flush.log)"
[ ! -e pwned ] || fail "the env file was run as shell code"
git --git-dir=nb.git grep -q -F "call the bank" main -- inbox.md || fail "the inbox line was not committed: $(cat flush.log)"
