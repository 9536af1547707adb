#!/bin/bash
# Debug m2g-poll alone: one getUpdates call, each update pretty-printed. The token comes from
# M2G_TELEGRAM_TOKEN (or M2G_TELEGRAM_TOKEN_FILE), never the command line. --state keeps the
# offset so the same updates are not printed twice; without it nothing is confirmed and the
# running bot still gets them.
#   M2G_TELEGRAM_TOKEN_FILE=/etc/m2g/telegram.token examples/debug/poll-once.sh
set -euo pipefail
m2g-poll --once --timeout 0 "$@" | python3 -m json.tool --json-lines
