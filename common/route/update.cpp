#include "common/route/update.hpp"

#include "common/core/exit_codes.hpp"

namespace m2g::route {
namespace {

using json = nlohmann::json;

int64_t int_field(const json& object, const char* name, int64_t fallback = 0) {
  auto it = object.find(name);
  return it != object.end() && it->is_number_integer() ? it->get<int64_t>() : fallback;
}

std::string string_field(const json& object, const char* name) {
  auto it = object.find(name);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

bool has_int(const json& object, const char* name) {
  auto it = object.find(name);
  return it != object.end() && it->is_number_integer();
}

Failure bad(std::string reason) {
  return fail(exit_code::k_dataerr, "update " + std::move(reason));
}

constexpr const char* k_media_kinds[] = {"document", "voice",     "video",    "video_note", "audio",
                                         "sticker",  "animation", "location", "contact",    "poll"};

} // namespace

Result<Update> parse_update(const json& line) {
  Update u;
  u.id = string_field(line, "id");
  u.update_id = int_field(line, "update_id");
  u.type = string_field(line, "type");
  if (!has_int(line, "chat_id")) {
    if (u.type == "other" || u.type.empty()) {
      u.type = "other";
      return u; // nothing route acts on (e.g. my_chat_member without a chat id)
    }
    return bad("without an integer chat_id");
  }
  u.chat_id = int_field(line, "chat_id");
  u.user_id = int_field(line, "user_id");
  u.message_id = int_field(line, "message_id");
  u.date = int_field(line, "date");
  u.chat_type = string_field(line, "chat_type");
  u.text = string_field(line, "text");
  if (auto it = line.find("entities"); it != line.end() && it->is_array()) {
    u.entities = *it;
  }
  if (auto it = line.find("photo"); it != line.end() && it->is_object() && it->contains("file_id")) {
    u.photo = *it;
  }
  for (const char* kind : k_media_kinds) {
    if (auto it = line.find(kind); it != line.end() && it->is_object()) {
      u.media_kind = kind;
      u.media = *it;
      break;
    }
  }
  u.command = string_field(line, "command");
  u.args = string_field(line, "args");
  if (auto it = line.find("reply_to"); it != line.end() && it->is_object() && has_int(*it, "message_id")) {
    ReplyTo reply;
    reply.message_id = int_field(*it, "message_id");
    reply.text = string_field(*it, "text");
    auto from_bot = it->find("from_bot");
    reply.from_bot = from_bot != it->end() && from_bot->is_boolean() && from_bot->get<bool>();
    u.reply_to = std::move(reply);
  }
  if (u.type == "callback_query") {
    auto it = line.find("callback");
    if (it == line.end() || !it->is_object()) {
      return bad("of type callback_query without a callback object");
    }
    CallbackQuery cb;
    cb.id = string_field(*it, "id");
    if (cb.id.empty()) {
      return bad("of type callback_query without callback.id");
    }
    cb.data = string_field(*it, "data");
    cb.message_id = int_field(*it, "message_id", u.message_id);
    u.callback = std::move(cb);
  } else if ((u.is_message() || u.is_edit()) && !has_int(line, "message_id")) {
    return bad("of type " + u.type + " without an integer message_id");
  }
  return u;
}

} // namespace m2g::route
