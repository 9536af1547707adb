# Helpers for the m2g-bot CLI tests that run a whole bot (sourced after common.sh; not a test).

# need_stages: skip unless every stage m2g-bot runs (and m2g-queue) is built.
need_stages() {
  local tool
  for tool in m2g-poll m2g-route m2g-limit m2g-llm m2g-commit m2g-progress m2g-queue; do
    command -v $tool > /dev/null || skip "$tool is not built yet"
  done
}

# start_fake_telegram: the fake Bot API without rate limits on a free port; sets $tg.
start_fake_telegram() {
  m2g-bench fake telegram --port 0 --chat-rate 0 --global-rate 0 > tg.port 2> tg.err &
  track $!
  wait_for 10 test -s tg.port
  tg=http://127.0.0.1:$(head -n1 tg.port)
}

# seed_notebook: nb.git, a bare notebook repository with a first commit on main.
seed_notebook() {
  git init -q --bare -b main nb.git
  git init -q -b main seed && echo '# notes' > seed/README.md && git -C seed add README.md &&
    git -C seed -c user.name=T -c user.email=t@e commit -q -m seed && git -C seed push -q "$PWD/nb.git" main
}

# run_bot: m2g-bot run on $tg and nb.git with data in ./d, in the background; sets $bot and
# makes sure no stage outlives the test (the supervisor alone would be killed).
run_bot() {
  M2G_TELEGRAM_TOKEN=123456:test-token M2G_TELEGRAM_API_URL=$tg M2G_ALLOWED_CHATS=42 M2G_REPO=$PWD/nb.git \
    M2G_COMMIT_BATCH_MS=50ms m2g-bot run --data-dir "$PWD/d" 2> bot.err &
  bot=$!
  track $bot
  at_exit kill_bot
}
kill_bot() {
  kill -9 $(pgrep -P $bot) $bot 2> /dev/null || true # the supervisors first: they would restart
  for f in "$SCRATCH"/d/run/*.pid; do kill -9 "$(cat "$f")" 2> /dev/null || true; done
}

# filed TEXT: whether TEXT is in inbox.md on the notebook's main.
filed() { git --git-dir=nb.git grep -q -F "$1" main -- inbox.md 2> /dev/null; }

# stop_bot: SIGTERM the bot and fail unless it exits 0.
stop_bot() {
  kill -TERM $bot
  local code=0
  wait $bot || code=$?
  [ "$code" = 0 ] || fail "m2g-bot exited $code after SIGTERM: $(tail -5 bot.err)"
}
