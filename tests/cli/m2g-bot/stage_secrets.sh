## Each stage m2g-bot runs sees only the secrets it uses: the bot token reaches poll, route, commit and
## progress, the GitHub token only commit, the LLM key only llm, the instance key only route and
## commit; limit sees none. Before, every stage's environment held every secret.
. "$M2G_SRC/tests/cli/common.sh"
. "$M2G_SRC/tests/cli/m2g-bot/lib.bash"
need_stages
start_fake_telegram
seed_notebook
head -c 32 /dev/urandom > instance.key && chmod 600 instance.key
M2G_GITHUB_TOKEN=ghp_testtoken M2G_LLM_API_KEY=sk-testkey M2G_POLL_SECRET_TOKEN=hook-secret \
  M2G_KEY_FILE=$PWD/instance.key run_bot
# secrets_in NAME: the secret variables in the environment of the running stage NAME.
secrets_in() {
  tr '\0' '\n' < "/proc/$(cat "d/run/$1.pid")/environ" |
    { grep -o -E '^M2G_(TELEGRAM_TOKEN|GITHUB_TOKEN|LLM_API_KEY|POLL_SECRET_TOKEN|KEY_FILE)[A-Z_]*=' || true; } |
    tr -d = | sort | xargs
}
# is_running NAME: the stage's own process (not the shell that starts it) is up.
is_running() { [ -s "d/run/$1.pid" ] && [ "$(cat "/proc/$(cat "d/run/$1.pid")/comm" 2> /dev/null)" = "m2g-$1" ]; }
check() {
  wait_for 30 is_running "$1"
  local got
  got=$(secrets_in "$1")
  [ "$got" = "$2" ] || fail "$1 has secrets '$got', expected '$2'"
}
check poll "M2G_POLL_SECRET_TOKEN M2G_TELEGRAM_TOKEN"
check route "M2G_KEY_FILE M2G_TELEGRAM_TOKEN"
check limit ""
check llm "M2G_LLM_API_KEY"
check commit "M2G_GITHUB_TOKEN M2G_KEY_FILE M2G_TELEGRAM_TOKEN"
check progress "M2G_TELEGRAM_TOKEN"
stop_bot
