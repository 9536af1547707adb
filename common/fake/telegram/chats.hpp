#pragma once
// The fake Bot API's memory of chats: every message (the person's and the bot's) with its
// current text and keyboard, the history of the bot's edits, deletions, and the callback
// queries it issued. Tests read it through the control API to see what the bot showed.

#include "common/core/error.hpp"

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <unordered_map>
#include <variant>
#include <vector>

namespace m2g::fake::telegram {

using json = nlohmann::json;

/// A Bot API error: the HTTP status and Telegram's description ("Bad Request: ...").
struct ApiFailure {
  int status = 400;
  std::string description;
};

/// One message in a chat. The person's messages are kept serialized (there may be hundreds of
/// thousands after a bulk injection); the bot's keep their edit history.
struct StoredMessage {
  bool from_bot = false;
  bool deleted = false;
  std::string text;        ///< the current Message object, serialized, without reply_to_message
  int64_t reply_to = 0;    ///< message_id replied to (0: none)
  std::vector<json> edits; ///< the bot's edits, oldest first: {text, reply_markup, date}
};

/// A callback query the fake issued for a button click.
struct CallbackRecord {
  int64_t chat_id = 0;
  int64_t message_id = 0;
  std::string data;
  bool answered = false;
  json answer; ///< answerCallbackQuery's parameters
};

class ChatStore {
public:
  /// A new message id in `chat_id` (ids are per chat, as in Telegram).
  int64_t next_message_id(int64_t chat_id);
  /// Remember `message` (a Message object with message_id and chat.id).
  void store(int64_t chat_id, const json& message, bool from_bot, int64_t reply_to);
  /// The Message object of `message_id` in `chat_id`, with its reply_to_message (one level).
  std::optional<json> message(int64_t chat_id, int64_t message_id) const;
  /// True when `message_id` was allocated in `chat_id` and not deleted (bulk-injected messages
  /// exist without being stored).
  bool exists(int64_t chat_id, int64_t message_id) const;
  /// True when anything happened in `chat_id`.
  bool has_chat(int64_t chat_id) const { return m_chats.count(chat_id) != 0; }

  /// The bot edits its message: new text (or unchanged when `text` is null) and keyboard.
  /// Telegram's failures: missing message, not the bot's, identical content ("message is not
  /// modified").
  std::variant<json, ApiFailure> edit(int64_t chat_id, int64_t message_id, const std::optional<std::string>& text,
                                      const json& reply_markup, int64_t date);
  /// Delete a message; fails when it does not exist.
  std::optional<ApiFailure> remove(int64_t chat_id, int64_t message_id);

  /// Record a click; returns the callback query id.
  std::string add_callback(int64_t chat_id, int64_t message_id, std::string data);
  std::optional<ApiFailure> answer_callback(const std::string& id, const json& params);
  const std::map<std::string, CallbackRecord>& callbacks() const { return m_callbacks; }

  /// What the bot showed in `chat_id`: its messages (current text, keyboard, edits, deleted)
  /// in order, as the control API returns them.
  json bot_messages(int64_t chat_id) const;
  /// The chats that have any message.
  std::vector<int64_t> chat_ids() const;
  void clear();

private:
  struct Chat {
    int64_t next_id = 1;
    std::map<int64_t, StoredMessage> messages;
  };
  std::unordered_map<int64_t, Chat> m_chats;
  std::map<std::string, CallbackRecord> m_callbacks;
  uint64_t m_next_callback = 1;
};

} // namespace m2g::fake::telegram
