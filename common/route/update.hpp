#pragma once
// A typed view of an update line (man m2g(7), kind "update", as m2g-poll writes it), with the
// few checks m2g-route needs before it acts on one.

#include "common/core/error.hpp"

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace m2g::route {

struct ReplyTo {
  int64_t message_id = 0;
  std::string text;
  bool from_bot = false;
};

struct CallbackQuery {
  std::string id;
  std::string data;
  int64_t message_id = 0; ///< the message whose button was pressed
};

struct Update {
  std::string id; ///< "tg:UPDATE_ID"
  int64_t update_id = 0;
  std::string type; ///< message, edited_message, channel_post, callback_query, other
  int64_t chat_id = 0;
  int64_t user_id = 0; ///< 0 when unknown (channel posts)
  int64_t message_id = 0;
  int64_t date = 0;
  std::string chat_type;
  std::string text; ///< text or caption
  nlohmann::json entities = nlohmann::json::array();
  nlohmann::json photo;      ///< null, or the largest size
  std::string media_kind;    ///< "document", "voice", "video", "audio", "sticker", or empty
  nlohmann::json media;      ///< that object
  std::string command, args; ///< as m2g-poll split them (route parses the text itself too)
  std::optional<ReplyTo> reply_to;
  std::optional<CallbackQuery> callback;

  bool is_message() const { return type == "message" || type == "channel_post"; }
  bool is_edit() const { return type == "edited_message" || type == "edited_channel_post"; }
};

/// Read the update fields from `line`. Fails (with the reason) when a field route relies on
/// is missing or has the wrong type: chat_id on every update; callback.id and callback.data on
/// callback_query; message_id on messages.
Result<Update> parse_update(const nlohmann::json& line);

} // namespace m2g::route
