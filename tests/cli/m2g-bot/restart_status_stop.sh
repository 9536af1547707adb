## m2g-bot run restarts a stage killed with SIGKILL (its restart count shows in `m2g-bot status`,
## beside every stage's state and the queue depths), loses no message across the crash (one sent
## while the stage is down is filed once it is back, judged with git), and SIGTERM stops the
## supervisor and every stage with exit 0.
. "$M2G_SRC/tests/cli/common.sh"
. "$M2G_SRC/tests/cli/m2g-bot/lib.bash"
need_stages
start_fake_telegram
say() { curl -sf -X POST -H 'Content-Type: application/json' --data "{\"chat_id\":42,\"user_id\":42,\"first_name\":\"Ana\",\"text\":\"$1\"}" "$tg/control/message" > /dev/null; }
seed_notebook
run_bot
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
stop_bot
for pid in $stage_pids; do
  ! kill -0 "$pid" 2> /dev/null || fail "stage $pid still runs after the bot stopped"
done
status
grep -Eq '^poll +stopped' status.txt || fail "status after stop: $(cat status.txt)"
