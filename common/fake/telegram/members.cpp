// getChatMember: who is an administrator of a chat. The bot's m2g-route asks before it lets a
// group member change the group's repository or remove its custom files, so tests set each
// chat's creator and administrators through the control API (/control/admins) and the fake
// answers with the ChatMember object Telegram sends: status "creator", "administrator" or
// "member", and the user.
#include "common/fake/telegram/bot.hpp"

namespace m2g::fake::telegram {

void Bot::set_admins(int64_t chat_id, int64_t creator, std::set<int64_t> administrators) {
  if (creator == 0 && administrators.empty()) {
    m_admins.erase(chat_id);
    return;
  }
  m_admins[chat_id] = Admins{creator, std::move(administrators)};
}

Reply Bot::get_chat_member(const Params& params) {
  if (!params.has("chat_id")) {
    return error_reply(400, "Bad Request: chat_id is empty");
  }
  auto chat_id = params.get_int("chat_id");
  if (!chat_id || !m_chats.has_chat(*chat_id)) {
    // Telegram knows only chats the bot is in; for the fake, chats a person has written in.
    return error_reply(400, "Bad Request: chat not found");
  }
  auto user_id = params.get_int("user_id");
  if (!user_id || *user_id <= 0) {
    return error_reply(400, "Bad Request: invalid user_id specified");
  }
  std::string status = "member";
  if (auto it = m_admins.find(*chat_id); it != m_admins.end()) {
    if (it->second.creator == *user_id) {
      status = "creator";
    } else if (it->second.administrators.count(*user_id) > 0) {
      status = "administrator";
    }
  }
  Person who;
  who.chat_id = *chat_id;
  who.user_id = *user_id;
  json member = {{"status", status}, {"user", user_object(who)}};
  if (status == "creator") {
    member["is_anonymous"] = false;
  } else if (status == "administrator") {
    member["can_be_edited"] = false;
    member["is_anonymous"] = false;
    member["can_manage_chat"] = true;
    member["can_delete_messages"] = true;
    member["can_change_info"] = true;
  }
  return ok_reply(member);
}

} // namespace m2g::fake::telegram
