## m2g-bot run routes the updates an older bot left in queue.db (before m2g-poll had
## updates.db of its own) before it starts polling: the leftover message is filed (judged with
## git), the old topic is empty, and the new poll offset lives in updates.db.
. "$M2G_SRC/tests/cli/common.sh"
. "$M2G_SRC/tests/cli/m2g-bot/lib.bash"
need_stages
start_fake_telegram
seed_notebook

mkdir d
now=$(date +%s)
printf '{"v":1,"kind":"update","id":"tg:7","update_id":7,"type":"message","chat_id":42,"chat_type":"private","user_id":42,"message_id":7,"date":%s,"from":{"first_name":"Ana"},"text":"#inbox left by an older bot","ts":%s000}\n' \
  "$now" "$now" | m2g-queue put d/queue.db -t updates

run_bot
wait_for 60 filed "left by an older bot"
grep -q "routing 1 updates an older m2g-bot left in" bot.err || fail "the leftover was not announced: $(cat bot.err)"
m2g-queue stat --json d/queue.db > old.txt
! grep -q '"topic":"updates"' old.txt || fail "queue.db still holds updates: $(cat old.txt)"
wait_for 10 test -e d/updates.db
stop_bot
[ "$(git --git-dir=nb.git show main:inbox.md | grep -c '^## left by an older bot$')" = 1 ] || fail "filed twice or not at all: $(git --git-dir=nb.git show main:inbox.md)"
