#pragma once
// Whether a person is an administrator of a group, asked of Telegram (getChatMember) when a
// group member changes what the whole group shares: its repository (/repo URL, /repo off) or
// its custom files (/customfile remove). Anyone in a group can send the bot a command, so
// without this any member could point the group's notes at their own repository.
//
// Why a synchronous call in a stage that otherwise never talks to Telegram: these commands are
// rare (a few per chat in its lifetime), while the answer decides whether the update's
// settings change, inside the update's own transaction. Carrying the update to another stage
// and back would add a queue round trip and a second, racing writer of the settings for a
// handful of calls. So route asks on a private event loop with a short deadline (5 s), which
// holds its other updates for at most that long, and remembers each answer per (chat, person)
// for a minute in a bounded cache, so a burst of commands costs one call.
//
// It fails closed: without a bot token, or when Telegram cannot be reached or answers
// anything but a ChatMember, the answer is a failure (with a reason for the operator's log,
// never the token) and the caller refuses the command.

#include "common/core/clock.hpp"
#include "common/core/error.hpp"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>

namespace m2g::route {

struct ChatAdminsOptions {
  std::string api_url = "https://api.telegram.org"; ///< the Bot API server (M2G_TELEGRAM_API_URL)
  std::optional<std::string> token;                 ///< the bot token; none: every check fails
  Millis timeout{5000};                             ///< one getChatMember call, connect included
  Millis remember{60'000};                          ///< how long an answer is reused
  size_t max_remembered = 10'000;                   ///< answers kept at once
};

class ChatAdmins {
public:
  /// `clock` (for the cache's expiry) must outlive the object.
  ChatAdmins(ChatAdminsOptions options, const Clock& clock);

  /// Whether `user_id` is the creator or an administrator of `chat_id` (status "creator" or
  /// "administrator"). Fails, with the reason, when that cannot be known: no token, a network
  /// error or timeout, an error answer, a user id of 0.
  Result<bool> is_admin(int64_t chat_id, int64_t user_id);

  /// getChatMember calls made (answers from the cache are not counted).
  uint64_t calls() const { return m_calls; }

private:
  Result<std::string> member_status(int64_t chat_id, int64_t user_id);

  struct Remembered {
    bool admin = false;
    int64_t until_ms = 0;
  };
  ChatAdminsOptions m_options;
  const Clock& m_clock;
  std::map<std::pair<int64_t, int64_t>, Remembered> m_remembered;
  uint64_t m_calls = 0;
};

} // namespace m2g::route
