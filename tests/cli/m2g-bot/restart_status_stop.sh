## m2g-bot run restarts a stage killed with SIGKILL (its restart count shows in `m2g-bot status`,
## beside every stage's state and the queue depths), loses no message across the crash (one sent
## while the stage is down is filed once it is back, judged with git), and SIGTERM stops the
## supervisor and every stage with exit 0.
. "$M2G_SRC/tests/cli/common.sh"
for tool in m2g-poll m2g-route m2g-limit m2g-llm m2g-commit m2g-progress; do
  command -v $tool > /dev/null || skip "$tool is not built yet"
done
m2g-bench fake telegram --port 0 --chat-rate 0 --global-rate 0 > tg.port 2> tg.err &
track $!
wait_for 10 test -s tg.port
tg=http://127.0.0.1:$(head -n1 tg.port)
say() { curl -sf -X POST -H 'Content-Type: application/json' --data "{\"chat_id\":42,\"user_id\":42,\"first_name\":\"Ana\",\"text\":\"$1\"}" "$tg/control/message" > /dev/null; }
git init -q --bare -b main nb.git
git init -q -b main seed && echo '# notes' > seed/README.md && git -C seed add README.md &&
  git -C seed -c user.name=T -c user.email=t@e commit -q -m seed && git -C seed push -q "$PWD/nb.git" main

M2G_TELEGRAM_TOKEN=123456:test-token M2G_TELEGRAM_API_URL=$tg M2G_ALLOWED_CHATS=42 M2G_REPO=$PWD/nb.git \
  M2G_COMMIT_BATCH_MS=50ms m2g-bot run --data-dir "$PWD/d" 2> bot.err &
bot=$!
track $bot
# A failing check must not leave the stages running (the supervisor alone would be killed).
kill_bot() {
  kill -9 $(pgrep -P $bot) $bot 2> /dev/null || true # the supervisors first: they would restart
  for f in "$SCRATCH"/d/run/*.pid; do kill -9 "$(cat "$f")" 2> /dev/null || true; done
}
at_exit kill_bot
filed() { git --git-dir=nb.git grep -q -F "$1" main -- inbox.md 2> /dev/null; }
say "#inbox before the crash"
wait_for 60 filed "before the crash"

status() { m2g-bot status --data-dir "$PWD/d" > status.txt; }
status
for stage in poll route limit llm commit progress; do
  grep -Eq "^$stage +running +[0-9]+ +0$" status.txt || fail "status of $stage: $(cat status.txt)"
done
grep -Eq '^TOPIC +READY +LEASED +DEAD' status.txt || fail "no queue depths in status: $(cat status.txt)"

# Kill m2g-limit outright; a message sent meanwhile must still be filed, once.
limit_pid=$(cat d/run/limit.pid)
kill -9 "$limit_pid"
say "#inbox while limit was down"
restarted() { status && grep -Eq '^limit +running +[0-9]+ +1$' status.txt && ! grep -q "^limit +running +$limit_pid " status.txt; }
wait_for 30 restarted
grep -q '\[limit\]\|m2g-bot: limit exited' bot.err || fail "the crash was not reported: $(cat bot.err)"
wait_for 60 filed "while limit was down"
[ "$(git --git-dir=nb.git show main:inbox.md | grep -c '^## while limit was down$')" = 1 ] || fail "filed twice or not at all"

stage_pids=$(cat d/run/*.pid)
kill -TERM $bot
code=0; wait $bot || code=$?
[ "$code" = 0 ] || fail "m2g-bot exited $code after SIGTERM: $(tail -5 bot.err)"
for pid in $stage_pids; do
  ! kill -0 "$pid" 2> /dev/null || fail "stage $pid still runs after the bot stopped"
done
status
grep -Eq '^poll +stopped' status.txt || fail "status after stop: $(cat status.txt)"
