#!/bin/bash
# Flush the notes collected in the "inbox" topic of a queue file into the notebook as ONE
# commit: take every ready line, give each a title, commit them together, and acknowledge
# only what was committed. Run it from cron or a systemd timer (see crontab, systemd/).
#
# Anything can put lines there, e.g. a mail hook or a script:
#   printf '%s\n' '{"v":1,"kind":"job","id":"mail-1","op":"add","target":"inbox","file":"inbox.md","text":"call the bank","chat_id":42,"message_id":1,"date":1764000000}' |
#     m2g-queue put /var/lib/m2g/queue.db -t inbox
#
# Nothing is lost when a step fails: lines are leased while they are worked on, and a line
# that is not acknowledged comes back after the lease (10 minutes) for the next run.
#
# M2G_ENV_FILE names a file of M2G_NAME=VALUE lines read as m2g-bot reads it: only M2G_
# variables, values never evaluated, the environment wins over the file.
set -euo pipefail
umask 077 # the queue and clones are the operator's alone

if [ -n "${M2G_ENV_FILE:-}" ]; then
  [ -r "$M2G_ENV_FILE" ] || { echo "flush-inbox: error: cannot read env file '$M2G_ENV_FILE'" >&2; exit 66; }
  lineno=0
  while IFS= read -r line || [ -n "$line" ]; do
    lineno=$((lineno + 1))
    line=${line%$'\r'}
    case "$line" in '' | '#'*) continue ;; esac
    key=${line%%=*}
    value=${line#*=}
    if [[ "$line" != *=* || ! "$key" =~ ^M2G_[A-Z0-9_]+$ ]]; then
      echo "flush-inbox: error: $M2G_ENV_FILE:$lineno: expected M2G_NAME=VALUE" >&2
      exit 78
    fi
    [[ "$value" =~ ^\"(.*)\"$ || "$value" =~ ^\'(.*)\'$ ]] && value=${BASH_REMATCH[1]}
    [ -n "${!key+x}" ] || export "$key=$value"
  done < "$M2G_ENV_FILE"
fi
data=${M2G_DATA_DIR:-/var/lib/m2g}
queue=$data/queue.db
topic=${1:-inbox}

# An hour-long batch window: m2g-commit commits once its input ends, so the whole flush is
# one commit and one push.
m2g-queue take "$queue" -t "$topic" --lease 600 |
  m2g-llm |
  m2g-commit --workdir "$data/clones" --batch-ms 3600000 |
  m2g-queue ack "$queue" -t "$topic"
