#include "common/telegram/normalize.hpp"

#include "common/core/exit_codes.hpp"

#include <array>
#include <cctype>

namespace m2g::telegram {
namespace {

// Accessors that never throw: a field of the wrong type reads as absent.
const json* field(const json& object, const char* key) {
  if (!object.is_object()) {
    return nullptr;
  }
  auto it = object.find(key);
  return it == object.end() ? nullptr : &*it;
}

std::optional<int64_t> int_field(const json& object, const char* key) {
  const json* value = field(object, key);
  if (!value) {
    return std::nullopt;
  }
  if (value->is_number_integer()) {
    return value->get<int64_t>(); // unsigned values above INT64_MAX do not occur (52 bits)
  }
  return std::nullopt;
}

const std::string* string_field(const json& object, const char* key) {
  const json* value = field(object, key);
  return value && value->is_string() ? &value->get_ref<const std::string&>() : nullptr;
}

const json* object_field(const json& object, const char* key) {
  const json* value = field(object, key);
  return value && value->is_object() ? value : nullptr;
}

void copy_int(const json& from, const char* key, json& to, const char* as = nullptr) {
  if (auto value = int_field(from, key)) {
    to[as ? as : key] = *value;
  }
}

void copy_string(const json& from, const char* key, json& to, const char* as = nullptr) {
  if (const std::string* value = string_field(from, key)) {
    to[as ? as : key] = *value;
  }
}

// The sender as the contract shows it: only the fields a stage needs to greet or attribute.
json from_object(const json& user) {
  json out = json::object();
  copy_string(user, "username", out);
  copy_string(user, "first_name", out);
  copy_string(user, "language_code", out);
  return out;
}

json file_object(const json& file) {
  json out = json::object();
  copy_string(file, "file_id", out);
  copy_string(file, "file_unique_id", out);
  copy_int(file, "file_size", out);
  copy_string(file, "file_name", out);
  copy_string(file, "mime_type", out);
  return out;
}

// The largest size of a photo. Telegram does not document the order of the sizes, so compare
// areas (then file sizes) instead of trusting the last element.
std::optional<json> largest_photo(const json& sizes) {
  if (!sizes.is_array()) {
    return std::nullopt;
  }
  const json* best = nullptr;
  int64_t best_area = -1;
  int64_t best_bytes = -1;
  for (const json& size : sizes) {
    if (!string_field(size, "file_id")) {
      continue;
    }
    int64_t area = int_field(size, "width").value_or(0) * int_field(size, "height").value_or(0);
    int64_t bytes = int_field(size, "file_size").value_or(0);
    if (area > best_area || (area == best_area && bytes > best_bytes)) {
      best = &size;
      best_area = area;
      best_bytes = bytes;
    }
  }
  if (!best) {
    return std::nullopt;
  }
  json out = json::object();
  copy_string(*best, "file_id", out);
  copy_string(*best, "file_unique_id", out);
  copy_int(*best, "width", out);
  copy_int(*best, "height", out);
  copy_int(*best, "file_size", out);
  return out;
}

// The text of a message and its entities: the text itself, or the caption of a media message.
void add_text(const json& message, json& out) {
  const std::string* text = string_field(message, "text");
  const char* entities_key = "entities";
  if (!text) {
    text = string_field(message, "caption");
    entities_key = "caption_entities";
  }
  if (!text) {
    return;
  }
  out["text"] = *text;
  if (const json* entities = field(message, entities_key); entities && entities->is_array()) {
    out["entities"] = *entities;
  }
}

bool written_by_bot(const json& message, const NormalizeOptions& options) {
  const json* from = object_field(message, "from");
  if (!from) {
    return false;
  }
  if (options.bot_id != 0) {
    return int_field(*from, "id") == options.bot_id;
  }
  const json* is_bot = field(*from, "is_bot");
  return is_bot && is_bot->is_boolean() && is_bot->get<bool>();
}

// The message a message replies to (or a keyboard message's original): enough to act on it
// without a lookup, e.g. to file the person's text after a button click.
json reply_object(const json& replied, const NormalizeOptions& options) {
  json out = json::object();
  copy_int(replied, "message_id", out);
  copy_int(replied, "date", out);
  if (const json* from = object_field(replied, "from")) {
    copy_int(*from, "id", out, "user_id");
  }
  add_text(replied, out);
  if (const json* sizes = field(replied, "photo")) {
    if (auto photo = largest_photo(*sizes)) {
      out["photo"] = std::move(*photo);
    }
  }
  out["from_bot"] = written_by_bot(replied, options);
  return out;
}

constexpr std::array<const char*, 5> k_file_kinds{"document", "voice", "video", "audio", "sticker"};

// The fields every message-like update (message, edited_message, channel_post, ...) shares.
void add_message(const json& message, json& out, const NormalizeOptions& options) {
  copy_int(message, "message_id", out);
  copy_int(message, "date", out);
  if (const json* chat = object_field(message, "chat")) {
    copy_int(*chat, "id", out, "chat_id");
    copy_string(*chat, "type", out, "chat_type");
  }
  if (const json* from = object_field(message, "from")) {
    copy_int(*from, "id", out, "user_id");
    out["from"] = from_object(*from);
  }
  add_text(message, out);
  if (const std::string* text = string_field(out, "text")) {
    if (auto command = parse_command(*text)) {
      out["command"] = command->name;
      out["args"] = command->args;
    }
  }
  if (const json* sizes = field(message, "photo")) {
    if (auto photo = largest_photo(*sizes)) {
      out["photo"] = std::move(*photo);
    }
  }
  for (const char* kind : k_file_kinds) {
    if (const json* file = object_field(message, kind); file && string_field(*file, "file_id")) {
      out[kind] = file_object(*file);
    }
  }
  copy_string(message, "media_group_id", out);
  if (const json* replied = object_field(message, "reply_to_message")) {
    out["reply_to"] = reply_object(*replied, options);
  }
}

// A button click. Top-level message_id is the person's message the keyboard answered (when
// the keyboard message is a reply), status_message_id the keyboard message itself (m2g(7)).
void add_callback(const json& query, json& out, const NormalizeOptions& options) {
  json callback = json::object();
  copy_string(query, "id", callback);
  copy_string(query, "data", callback);
  copy_string(query, "inline_message_id", callback);
  if (const json* from = object_field(query, "from")) {
    copy_int(*from, "id", out, "user_id");
    out["from"] = from_object(*from);
  }
  if (const json* message = object_field(query, "message")) {
    copy_int(*message, "message_id", callback);
    copy_int(*message, "message_id", out, "status_message_id");
    if (const json* chat = object_field(*message, "chat")) {
      copy_int(*chat, "id", out, "chat_id");
      copy_string(*chat, "type", out, "chat_type");
    }
    if (const json* replied = object_field(*message, "reply_to_message")) {
      copy_int(*replied, "message_id", out);
      out["reply_to"] = reply_object(*replied, options);
    }
  }
  out["callback"] = std::move(callback);
}

// For kinds this build does not normalize: who and where, when the payload says so plainly.
void add_other(const json& update, json& out) {
  for (const auto& [key, value] : update.items()) {
    if (key == "update_id" || !value.is_object()) {
      continue;
    }
    if (const json* chat = object_field(value, "chat")) {
      copy_int(*chat, "id", out, "chat_id");
    }
    if (const json* from = object_field(value, "from")) {
      copy_int(*from, "id", out, "user_id");
    }
    break;
  }
  out["raw"] = update;
}

constexpr std::array<const char*, 4> k_message_kinds{"message", "edited_message", "channel_post",
                                                     "edited_channel_post"};

bool is_command_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
}
bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

} // namespace

std::optional<Command> parse_command(std::string_view text) {
  if (text.empty() || text[0] != '/') {
    return std::nullopt;
  }
  size_t i = 1;
  while (i < text.size() && is_command_char(text[i])) {
    ++i;
  }
  if (i == 1 || i - 1 > 32) {
    return std::nullopt;
  }
  Command command;
  command.name.reserve(i - 1);
  for (size_t k = 1; k < i; ++k) {
    command.name += static_cast<char>(std::tolower(static_cast<unsigned char>(text[k])));
  }
  if (i < text.size() && text[i] == '@') {
    size_t start = ++i;
    while (i < text.size() && is_command_char(text[i])) {
      ++i;
    }
    if (i == start) {
      return std::nullopt;
    }
    command.bot = std::string(text.substr(start, i - start));
  }
  if (i < text.size() && !is_space(text[i])) {
    return std::nullopt;
  }
  size_t first = i;
  while (first < text.size() && is_space(text[first])) {
    ++first;
  }
  size_t last = text.size();
  while (last > first && is_space(text[last - 1])) {
    --last;
  }
  command.args = std::string(text.substr(first, last - first));
  return command;
}

std::optional<int64_t> update_id_of(const json& update) {
  return int_field(update, "update_id");
}

int64_t bot_id_from_token(std::string_view token) {
  auto colon = token.find(':');
  if (colon == std::string_view::npos || colon == 0 || colon > 18) {
    return 0;
  }
  int64_t id = 0;
  for (size_t i = 0; i < colon; ++i) {
    if (token[i] < '0' || token[i] > '9') {
      return 0;
    }
    id = id * 10 + (token[i] - '0');
  }
  return id;
}

Result<json> normalize_update(const json& update, int64_t now_ms, const NormalizeOptions& options) {
  auto update_id = update_id_of(update);
  if (!update_id) {
    return fail(exit_code::k_dataerr,
                update.is_object() ? "update without an integer update_id" : "update is not a JSON object");
  }
  json out = json::object();
  out["v"] = 1;
  out["kind"] = "update";
  out["id"] = "tg:" + std::to_string(*update_id);
  out["ts"] = now_ms;
  out["t0"] = now_ms;
  out["update_id"] = *update_id;

  for (const char* kind : k_message_kinds) {
    if (const json* message = field(update, kind)) {
      if (!message->is_object()) {
        break; // not the shape Telegram documents: pass it on whole
      }
      out["type"] = kind;
      add_message(*message, out, options);
      return out;
    }
  }
  if (const json* query = object_field(update, "callback_query")) {
    out["type"] = "callback_query";
    add_callback(*query, out, options);
    return out;
  }
  out["type"] = "other";
  add_other(update, out);
  return out;
}

} // namespace m2g::telegram
