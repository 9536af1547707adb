#pragma once
// The fake Telegram Bot API's logic, without HTTP: one bot, its chats, its pending updates, its
// files and webhook, and the control operations tests use to play the people in the chats.
// Every method answers exactly what Telegram answers (status, {"ok":...} envelope, error
// descriptions), so a client that works against the fake works against Telegram. The HTTP
// glue (server.hpp) adds routing, tokens, latency, faults and long-poll parking.

#include "common/core/clock.hpp"
#include "common/fake/telegram/chats.hpp"
#include "common/fake/telegram/limits.hpp"
#include "common/fake/telegram/params.hpp"
#include "common/fake/telegram/updates.hpp"

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <unordered_set>

namespace m2g::fake::telegram {

struct BotConfig {
  int64_t bot_id = 777000;
  std::string username = "m2g_fake_bot";
  std::string first_name = "m2g fake bot";
  SendLimits limits;
  int64_t first_update_id = 1;
  size_t max_download_bytes = 20 << 20; ///< getFile refuses bigger files, as Telegram does
};

/// An HTTP answer of the fake: status and JSON body.
struct Reply {
  int status = 200;
  std::string body;
};

/// Telegram's error envelope.
Reply error_reply(int status, std::string_view description, std::optional<int> retry_after = std::nullopt);
/// {"ok":true,"result":RESULT}.
Reply ok_reply(const json& result);

/// A file the fake serves through getFile and /file/bot<token>/<path>.
struct StoredFile {
  std::string file_id, file_unique_id, path, bytes;
};

/// The webhook as setWebhook configured it.
struct Webhook {
  std::string url; ///< "" when none is set
  std::string secret_token;
  int max_connections = 40;
  std::string last_error;
  int64_t last_error_date = 0;
};

/// Telegram's most updates in one getUpdates answer (its "limit", and the default).
constexpr size_t k_max_updates_per_poll = 100;

/// What getUpdates decided: answer now, or hold the request until an update or the timeout.
struct PollDecision {
  std::optional<Reply> reply; ///< set: answer now
  int timeout_s = 0;          ///< otherwise: hold this long
  size_t limit = k_max_updates_per_poll;
};

class Bot {
public:
  explicit Bot(BotConfig config, Clock& clock = SystemClock::instance());

  /// Any Bot API method except getUpdates. Unknown methods get 404 as on Telegram.
  Reply call(std::string_view method, const Params& params);
  /// getUpdates: confirm by offset, then answer now or ask to be held.
  PollDecision get_updates(const Params& params);
  /// The answer to a held getUpdates (what is pending now, possibly nothing).
  Reply poll_now(size_t limit);
  /// True when a held getUpdates would now get something.
  bool has_updates();

  // ---- control: the people's side ----
  struct Person {
    int64_t chat_id = 42;
    int64_t user_id = 0; ///< 0: the chat id for private chats, else 1000
    std::string first_name = "Test";
    std::string username; ///< default "user<user_id>"
    std::string language_code = "en";
  };
  /// A person sends `text` (optionally replying to `reply_to`); returns {update_id, message_id}.
  json inject_text(const Person& who, const std::string& text, int64_t reply_to = 0, const json& entities = {});
  /// A person sends a photo whose largest size is `bytes`, `width`×`height`.
  json inject_photo(const Person& who, const std::string& bytes, int width, int height, const std::string& caption,
                    const std::string& media_group_id = {});
  /// A person sends a document.
  json inject_document(const Person& who, const std::string& bytes, const std::string& file_name,
                       const std::string& mime_type, const std::string& caption);
  /// A person edits their message `message_id` to `text` (an edited_message update).
  std::variant<json, ApiFailure> inject_edit(const Person& who, int64_t message_id, const std::string& text);
  /// A person presses the button with `data` (or the first button when empty) on the bot's
  /// message `message_id`.
  std::variant<json, ApiFailure> inject_click(const Person& who, int64_t message_id, const std::string& data);
  /// A channel post in channel `chat_id`.
  json inject_channel_post(int64_t chat_id, const std::string& text);
  /// A whole Update object; update_id is assigned when missing. Type taken from its first key.
  std::variant<json, ApiFailure> inject_raw(json update);
  /// Messages `from` to `to` - 1 of a burst of text messages "PREFIX N" (N = index + 1), message
  /// i in chat `first_chat` + i % `chats`; a burst may be injected in several parts.
  json inject_bulk(size_t from, size_t to, const std::string& prefix, int64_t first_chat, int64_t chats);
  /// The same with photos: each of `bytes` (stored once per message), captioned "PREFIX N".
  json inject_bulk_photos(size_t count, const std::string& prefix, int64_t first_chat, int64_t chats,
                          const std::string& bytes);

  /// Play every person as one who answers each inline keyboard the bot sends at once, pressing
  /// the first button whose label contains `label` ("" stops). For benchmarks of the
  /// keyboard-and-click flow: thousands of people clicking without a control call each.
  void set_auto_click(std::string label) { m_auto_click = std::move(label); }
  const std::string& auto_click() const { return m_auto_click; }

  /// Make getUpdates answer 409 as when another poller or a webhook is in the way.
  void set_webhook_for_test(const std::string& url, const std::string& secret);
  /// Sends to `chat_id` get 403 "bot was blocked by the user" (or succeed again when false).
  void set_blocked(int64_t chat_id, bool blocked);
  /// The people getChatMember calls "creator" (0: nobody) and "administrator" in `chat_id`;
  /// everyone else is a "member" (members.cpp).
  void set_admins(int64_t chat_id, int64_t creator, std::set<int64_t> administrators);

  // ---- control: what tests read ----
  json chat_state(int64_t chat_id) const;
  json stats() const;
  void count_request(std::string_view method);
  const StoredFile* file_by_path(const std::string& path) const;
  void reset();

  UpdateStore& updates() { return m_updates; }
  Webhook& webhook() { return m_webhook; }
  SendLimiter& limiter() { return m_limiter; }
  const BotConfig& config() const { return m_config; }

private:
  /// With auto-click on: press the matching button of the bot's message just sent.
  void auto_click_on(int64_t chat_id, const json& message);
  json bot_user() const;
  json chat_object(int64_t chat_id, const Person* who) const;
  json user_object(const Person& who) const;
  json new_message(const Person& who, std::string_view type = "message");
  std::optional<int> limited(int64_t chat_id);
  StoredFile& add_file(const std::string& bytes, const std::string& dir, const std::string& extension);

  Reply get_me();
  Reply send_message(const Params& params);
  Reply edit_message(const Params& params, bool text_too);
  Reply delete_message(const Params& params);
  Reply answer_callback_query(const Params& params);
  Reply get_file(const Params& params);
  Reply set_webhook(const Params& params);
  Reply delete_webhook(const Params& params);
  Reply get_webhook_info();
  Reply send_chat_action(const Params& params);
  Reply get_chat_member(const Params& params);

  BotConfig m_config;
  Clock& m_clock;
  UpdateStore m_updates;
  ChatStore m_chats;
  SendLimiter m_limiter;
  Webhook m_webhook;
  std::set<std::string> m_allowed_updates;
  std::unordered_set<int64_t> m_blocked;
  struct Admins {
    int64_t creator = 0;
    std::set<int64_t> administrators;
  };
  std::unordered_map<int64_t, Admins> m_admins;              // by chat id
  std::unordered_map<std::string, StoredFile> m_files;       // by file_id
  std::unordered_map<std::string, std::string> m_file_paths; // path → file_id
  std::map<std::string, int64_t> m_requests;
  uint64_t m_next_file = 1;
  std::string m_auto_click;
};

} // namespace m2g::fake::telegram
