## m2g-bot run routes the updates an older bot left in queue.db (before m2g-poll had
## updates.db of its own) before it starts polling: the leftover message is filed (judged with
## git), the old topic is empty, and the new poll offset lives in updates.db.
. "$M2G_SRC/tests/cli/common.sh"
for tool in m2g-poll m2g-route m2g-limit m2g-llm m2g-commit m2g-progress m2g-queue; do
  command -v $tool > /dev/null || skip "$tool is not built yet"
done
m2g-bench fake telegram --port 0 --chat-rate 0 --global-rate 0 > tg.port 2> tg.err &
track $!
wait_for 10 test -s tg.port
tg=http://127.0.0.1:$(head -n1 tg.port)
git init -q --bare -b main nb.git
git init -q -b main seed && echo '# notes' > seed/README.md && git -C seed add README.md &&
  git -C seed -c user.name=T -c user.email=t@e commit -q -m seed && git -C seed push -q "$PWD/nb.git" main

mkdir d
now=$(date +%s)
printf '{"v":1,"kind":"update","id":"tg:7","update_id":7,"type":"message","chat_id":42,"chat_type":"private","user_id":42,"message_id":7,"date":%s,"from":{"first_name":"Ana"},"text":"#inbox left by an older bot","ts":%s000}\n' \
  "$now" "$now" | m2g-queue put d/queue.db -t updates

M2G_TELEGRAM_TOKEN=123456:test-token M2G_TELEGRAM_API_URL=$tg M2G_ALLOWED_CHATS=42 M2G_REPO=$PWD/nb.git \
  M2G_COMMIT_BATCH_MS=50ms m2g-bot run --data-dir "$PWD/d" 2> bot.err &
bot=$!
track $bot
kill_bot() {
  kill -9 $(pgrep -P $bot) $bot 2> /dev/null || true
  for f in "$SCRATCH"/d/run/*.pid; do kill -9 "$(cat "$f")" 2> /dev/null || true; done
}
at_exit kill_bot
filed() { git --git-dir=nb.git grep -q -F "$1" main -- inbox.md 2> /dev/null; }
wait_for 60 filed "left by an older bot"
grep -q "routing 1 updates an older m2g-bot left in" bot.err || fail "the leftover was not announced: $(cat bot.err)"
m2g-queue stat --json d/queue.db > old.txt
! grep -q '"topic":"updates"' old.txt || fail "queue.db still holds updates: $(cat old.txt)"
wait_for 10 test -e d/updates.db
kill -TERM $bot
code=0; wait $bot || code=$?
[ "$code" = 0 ] || fail "m2g-bot exited $code after SIGTERM: $(tail -5 bot.err)"
[ "$(git --git-dir=nb.git show main:inbox.md | grep -c '^## left by an older bot$')" = 1 ] || fail "filed twice or not at all: $(git --git-dir=nb.git show main:inbox.md)"
