## m2g-bot started with a permissive umask (022) keeps its data directory private: the
## directory, its folders, queues, settings, clones and run files are 0700/0600, reachable by
## no other user.
. "$M2G_SRC/tests/cli/common.sh"
. "$M2G_SRC/tests/cli/m2g-bot/lib.bash"
need_stages
umask 022
start_fake_telegram
seed_notebook
run_bot
curl -sf -X POST -H 'Content-Type: application/json' \
  --data '{"chat_id":42,"user_id":42,"first_name":"A","text":"#note private thoughts"}' "$tg/control/message" > /dev/null
wait_for 60 git --git-dir=nb.git grep -q -F "private thoughts" main --
for f in d d/run d/clones d/queue.db d/updates.db d/settings.db; do
  [ -e "$f" ] || fail "$f was not created"
done
# libgit2 chmods loose objects and packs to 0444 whatever the umask; behind 0700 folders no
# other user reaches them, so only folders and the other files are checked.
exposed=$(find d \( -type d -o ! -path '*/objects/*' \) -perm /077)
[ -z "$exposed" ] || fail "readable by others: $(echo "$exposed" | head -5 | xargs ls -ld)"
[ "$(stat -c %a d)" = 700 ] || fail "the data directory is $(stat -c %a d)"
stop_bot
