#!/bin/bash
# Debug m2g-route alone: feed it one Telegram-style update and see every line it writes (the
# keyboard it would send, or the job it would file), with a throwaway settings database.
#   examples/debug/route-one.sh '#todo buy milk'
#   examples/debug/route-one.sh '/todo@my_bot 5'
set -euo pipefail
text=${1:-"remember to water the plants"}
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
python3 -c 'import json, sys, time
print(json.dumps({"v": 1, "kind": "update", "id": "tg:1", "update_id": 1, "type": "message",
                  "chat_id": 42, "user_id": 42, "message_id": 7, "date": int(time.time()),
                  "text": sys.argv[1]}))' "$text" |
  m2g-route --allowed-chats 42 --db "$scratch/settings.db" |
  python3 -m json.tool --json-lines
