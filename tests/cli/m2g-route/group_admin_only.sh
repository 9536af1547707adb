## In a group, only an administrator (getChatMember: creator or administrator) may set /repo,
## /repo off or remove a custom file; any other member is refused politely and nothing changes
## (the settings database and the next job's repository say so). A private chat's /repo needs
## no check. The check fails closed: without a bot token, or with Telegram out of reach, group
## changes are refused and the operator's log says why, never with the token.
. "$M2G_SRC/tests/cli/common.sh"
. "$M2G_SRC/tests/cli/m2g-route/helpers.inc"
. "$M2G_SRC/tests/cli/m2g-progress/fake.inc"
start_fake_telegram
G=-1001234567890
# Telegram answers getChatMember only for chats the bot is in: someone has written there.
control POST message "{\"chat_id\":$G,\"user_id\":5,\"text\":\"hello\"}" > /dev/null
control POST admins "{\"chat_id\":$G,\"creator\":4,\"administrators\":[5]}" > /dev/null

repo_of() { sqlite3 r.db "SELECT coalesce(repo_url, '') FROM chat_settings WHERE chat_id = $1"; }
files_of() { sqlite3 r.db "SELECT coalesce(group_concat(name), '') FROM custom_files WHERE chat_id = $1"; }
# group UPDATE_ID USER TEXT: the updates() spec of a supergroup message from USER.
group() { echo "x $1 $G $1 {\"chat_type\":\"supergroup\",\"user_id\":$2} $3"; }
route() { m2g-route --allowed-chats "$G,42" --db r.db --log-level debug; }

# 5 (an administrator) adds a custom file; 6 (a member) tries to change what the group shares.
{
  group 1 5 '/customfile add shared/plans'
  group 2 6 '/repo https://example.org/mallory/evil.git'
  group 3 6 '/customfile remove shared/plans'
} | updates > in1.jsonl
route < in1.jsonl > out1.jsonl 2> err1.txt
[ "$(texts out1.jsonl | grep -c 'Only an administrator of this group')" = 2 ] || fail "the member was not refused twice: $(texts out1.jsonl)"
[ "$(repo_of "$G")" = "" ] || fail "a member set the group's repository: $(repo_of "$G")"
[ "$(files_of "$G")" = "shared/plans.md" ] || fail "a member removed a custom file: $(files_of "$G")"

# The administrator sets the repository; the member's /repo off and /repo URL TOKEN are refused
# (the token's message is deleted all the same); the creator removes the custom file.
{
  group 4 5 '/repo https://example.org/team/notes.git'
  group 5 6 '/repo off'
  group 6 6 '/repo https://example.org/mallory/evil.git ghp_MemberSentThisToken0123456789'
  group 7 4 '/customfile remove shared/plans'
  group 8 6 '#idea after the attempts'
} | updates > in2.jsonl
route < in2.jsonl > out2.jsonl 2> err2.txt
texts out2.jsonl | grep 'Repository set to' > /dev/null || fail "the administrator could not set /repo: $(texts out2.jsonl)"
[ "$(texts out2.jsonl | grep -c 'Only an administrator of this group')" = 2 ] || fail "the member was not refused twice: $(texts out2.jsonl)"
grep deleteMessage out2.jsonl | grep -q '"message_id": *6' || fail "the member's token message was not deleted"
texts out2.jsonl | grep 'Removed <code>shared/plans.md' > /dev/null || fail "the creator could not remove the file: $(texts out2.jsonl)"
[ "$(repo_of "$G")" = "https://example.org/team/notes.git" ] || fail "the group's repository: $(repo_of "$G")"
[ "$(files_of "$G")" = "" ] || fail "custom files left: $(files_of "$G")"
job_field out2.jsonl repo | grep -F '"url": "https://example.org/team/notes.git"' > /dev/null \
  || fail "the next job's repository: $(job_field out2.jsonl repo)"
! grep -a -q 'MemberSentThisToken' out2.jsonl err2.txt || fail "the member's token was echoed or logged"
calls=$(requests getChatMember)
# One call per person and process: 6 in the first run (adding a file needs no check), 5, 6
# and 4 in the second.
[ "$calls" = 4 ] || fail "getChatMember calls: $calls (answers not remembered?)"

# The administrator's /repo off works; a private chat's /repo asks Telegram nothing.
{
  group 9 5 '/repo off'
  echo 'm 10 42 10 /repo https://example.org/me/notes.git'
} | updates > in3.jsonl
route < in3.jsonl > out3.jsonl 2> err3.txt
texts out3.jsonl | grep 'Repository and token forgotten' > /dev/null || fail "the administrator's /repo off: $(texts out3.jsonl)"
[ "$(repo_of "$G")" = "" ] || fail "the group's repository was not forgotten: $(repo_of "$G")"
[ "$(repo_of 42)" = "https://example.org/me/notes.git" ] || fail "the private chat's /repo: $(texts out3.jsonl)"
[ "$(requests getChatMember)" = $((calls + 1)) ] || fail "a private chat's /repo called getChatMember"

# Fail closed: no token, and a Telegram that cannot be reached.
group 11 5 '/repo https://example.org/team/other.git' | updates > in4.jsonl
env -u M2G_TELEGRAM_TOKEN m2g-route --allowed-chats "$G" --db r.db < in4.jsonl > out4.jsonl 2> err4.txt
texts out4.jsonl | grep 'could not check that you are an administrator of this group; try again later' > /dev/null \
  || fail "no token: $(texts out4.jsonl)"
grep -q 'no bot token' err4.txt || fail "the log does not say why: $(cat err4.txt)"
M2G_TELEGRAM_API_URL=http://127.0.0.1:1 m2g-route --allowed-chats "$G" --db r.db < in4.jsonl > out5.jsonl 2> err5.txt
texts out5.jsonl | grep 'could not check that you are an administrator' > /dev/null || fail "unreachable: $(texts out5.jsonl)"
grep -q 'getChatMember: transport error' err5.txt || fail "the log does not say why: $(cat err5.txt)"
! grep -q -F "$M2G_TELEGRAM_TOKEN" err4.txt err5.txt || fail "the bot token was logged"
[ "$(repo_of "$G")" = "" ] || fail "a failed check changed the repository: $(repo_of "$G")"
