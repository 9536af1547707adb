// Settings a whole group shares (its repository, its custom files) change only at the word of
// one of its administrators: in a group every member can send the bot a command. Private
// chats are their one person's own, and only administrators can post in a channel.
#include "common/core/log.hpp"
#include "common/route/context.hpp"

namespace m2g::route {

bool in_group(const Update& u) {
  if (u.chat_type == "group" || u.chat_type == "supergroup") {
    return true;
  }
  // Groups have negative ids; an update that does not say its type is treated as one.
  return u.chat_id < 0 && u.chat_type != "channel";
}

std::optional<std::string> admin_refusal(Context& ctx, std::string_view what) {
  const Update& u = ctx.u;
  if (!in_group(u)) {
    return std::nullopt;
  }
  auto admin = ctx.s.admins.is_admin(u.chat_id, u.user_id);
  if (!admin) {
    log::warn("chat " + std::to_string(u.chat_id) + ": cannot tell whether user " + std::to_string(u.user_id) +
              " is an administrator, so /" + std::string(what) + " was refused: " + admin.error());
    return std::string("⚠️ I could not check that you are an administrator of this group; try again later. "
                       "Nothing changed.");
  }
  if (!*admin) {
    log::info("chat " + std::to_string(u.chat_id) + ": user " + std::to_string(u.user_id) +
              " is not an administrator: /" + std::string(what) + " refused");
    return std::string("🔒 Only an administrator of this group can do that. Nothing changed.");
  }
  return std::nullopt;
}

} // namespace m2g::route
