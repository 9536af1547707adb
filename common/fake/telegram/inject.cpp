// The control side of the fake bot: people writing, sending photos, editing, clicking buttons.
// Each injection builds the Update Telegram would deliver and queues it for getUpdates.
#include "common/fake/telegram/bot.hpp"

namespace m2g::fake::telegram {
namespace {

// The bot_command entity Telegram attaches to a text starting with "/name[@bot]". Written
// independently of the poller's parser on purpose: the fake must not share its bugs.
json command_entities(const std::string& text) {
  if (text.size() < 2 || text[0] != '/') {
    return json();
  }
  size_t end = 1;
  while (end < text.size() &&
         (std::isalnum(static_cast<unsigned char>(text[end])) || text[end] == '_' || text[end] == '@')) {
    ++end;
  }
  if (end == 1) {
    return json();
  }
  return json::array({{{"offset", 0}, {"length", end}, {"type", "bot_command"}}});
}

} // namespace

json Bot::user_object(const Person& who) const {
  int64_t id = who.user_id != 0 ? who.user_id : (who.chat_id > 0 ? who.chat_id : 1000);
  return {{"id", id},
          {"is_bot", false},
          {"first_name", who.first_name},
          {"username", who.username.empty() ? "user" + std::to_string(id) : who.username},
          {"language_code", who.language_code}};
}

json Bot::chat_object(int64_t chat_id, const Person* who) const {
  if (chat_id > 0) {
    json chat = {{"id", chat_id}, {"type", "private"}};
    if (who) {
      json user = user_object(*who);
      chat["first_name"] = user["first_name"];
      chat["username"] = user["username"];
    }
    return chat;
  }
  // Supergroup and channel ids look like -100XXXXXXXXXX; plain groups are small negatives.
  bool super = chat_id < -1'000'000'000'000;
  return {{"id", chat_id}, {"type", super ? "supergroup" : "group"}, {"title", "Chat " + std::to_string(chat_id)}};
}

json Bot::new_message(const Person& who, std::string_view) {
  return {{"message_id", m_chats.next_message_id(who.chat_id)},
          {"from", user_object(who)},
          {"chat", chat_object(who.chat_id, &who)},
          {"date", m_clock.unix_ms() / 1000}};
}

StoredFile& Bot::add_file(const std::string& bytes, const std::string& dir, const std::string& extension) {
  uint64_t n = m_next_file++;
  StoredFile file;
  file.file_id = "AgACAgIAAxkBAAI" + std::to_string(100000 + n) + "fake" + std::to_string(n * 7919 % 100000);
  file.file_unique_id = "AQAD" + std::to_string(n);
  file.path = dir + "/file_" + std::to_string(n) + extension;
  file.bytes = bytes;
  m_file_paths[file.path] = file.file_id;
  auto id = file.file_id;
  return m_files[id] = std::move(file);
}

json Bot::inject_text(const Person& who, const std::string& text, int64_t reply_to, const json& entities) {
  json message = new_message(who);
  message["text"] = text;
  json found = entities.is_array() ? entities : command_entities(text);
  if (!found.is_null()) {
    message["entities"] = found;
  }
  int64_t message_id = message["message_id"];
  m_chats.store(who.chat_id, message, false, reply_to);
  json full = m_chats.message(who.chat_id, message_id).value_or(message);
  int64_t update_id = m_updates.add("message", full.dump());
  return {{"update_id", update_id}, {"message_id", message_id}, {"chat_id", who.chat_id}};
}

json Bot::inject_photo(const Person& who, const std::string& bytes, int width, int height, const std::string& caption,
                       const std::string& media_group_id) {
  json message = new_message(who);
  json sizes = json::array();
  // Telegram sends a few sizes of one photo; the poller must pick the largest by area.
  for (int target : {90, 320, 0}) {
    int w = target == 0 || target >= width ? width : target;
    int h = width > 0 ? static_cast<int>(static_cast<int64_t>(height) * w / width) : height;
    const StoredFile& file = add_file(bytes, "photos", ".jpg");
    sizes.push_back({{"file_id", file.file_id},
                     {"file_unique_id", file.file_unique_id},
                     {"file_size", bytes.size()},
                     {"width", w},
                     {"height", h}});
  }
  message["photo"] = sizes;
  if (!caption.empty()) {
    message["caption"] = caption;
  }
  if (!media_group_id.empty()) {
    message["media_group_id"] = media_group_id;
  }
  int64_t message_id = message["message_id"];
  m_chats.store(who.chat_id, message, false, 0);
  int64_t update_id = m_updates.add("message", message.dump());
  const json& largest = sizes.back();
  return {{"update_id", update_id},
          {"message_id", message_id},
          {"chat_id", who.chat_id},
          {"file_id", largest["file_id"]},
          {"file_unique_id", largest["file_unique_id"]}};
}

json Bot::inject_document(const Person& who, const std::string& bytes, const std::string& file_name,
                          const std::string& mime_type, const std::string& caption) {
  json message = new_message(who);
  const StoredFile& file = add_file(bytes, "documents", "");
  message["document"] = {{"file_id", file.file_id},
                         {"file_unique_id", file.file_unique_id},
                         {"file_name", file_name},
                         {"mime_type", mime_type},
                         {"file_size", bytes.size()}};
  if (!caption.empty()) {
    message["caption"] = caption;
  }
  int64_t message_id = message["message_id"];
  m_chats.store(who.chat_id, message, false, 0);
  int64_t update_id = m_updates.add("message", message.dump());
  return {{"update_id", update_id},
          {"message_id", message_id},
          {"chat_id", who.chat_id},
          {"file_id", file.file_id},
          {"file_unique_id", file.file_unique_id}};
}

std::variant<json, ApiFailure> Bot::inject_edit(const Person& who, int64_t message_id, const std::string& text) {
  auto message = m_chats.message(who.chat_id, message_id);
  if (!message || message->value("/from/is_bot"_json_pointer, false)) {
    return ApiFailure{404, "no message " + std::to_string(message_id) + " of a person in chat " +
                               std::to_string(who.chat_id)};
  }
  json edited = *message;
  edited.erase("reply_to_message");
  edited["text"] = text;
  edited["edit_date"] = m_clock.unix_ms() / 1000;
  json entities = command_entities(text);
  if (entities.is_null()) {
    edited.erase("entities");
  } else {
    edited["entities"] = entities;
  }
  int64_t reply_to = message->contains("reply_to_message") ? (*message)["reply_to_message"].value("message_id", 0) : 0;
  m_chats.store(who.chat_id, edited, false, reply_to);
  json full = m_chats.message(who.chat_id, message_id).value_or(edited);
  int64_t update_id = m_updates.add("edited_message", full.dump());
  return json{{"update_id", update_id}, {"message_id", message_id}, {"chat_id", who.chat_id}};
}

std::variant<json, ApiFailure> Bot::inject_click(const Person& who, int64_t message_id, const std::string& data) {
  auto message = m_chats.message(who.chat_id, message_id);
  if (!message || !message->value("/from/is_bot"_json_pointer, false)) {
    return ApiFailure{404, "no bot message " + std::to_string(message_id) + " in chat " + std::to_string(who.chat_id)};
  }
  // A person can only press a button that is there.
  std::string chosen;
  for (const auto& row : message->value("/reply_markup/inline_keyboard"_json_pointer, json::array())) {
    for (const auto& button : row) {
      std::string button_data = button.value("callback_data", std::string());
      if (!button_data.empty() && (data.empty() ? chosen.empty() : button_data == data)) {
        chosen = button_data;
      }
    }
  }
  if (chosen.empty()) {
    return ApiFailure{404, data.empty() ? "the message has no callback button"
                                        : "the message has no button with callback_data '" + data + "'"};
  }
  std::string id = m_chats.add_callback(who.chat_id, message_id, chosen);
  json query = {{"id", id},
                {"from", user_object(who)},
                {"message", *message},
                {"chat_instance", std::to_string(who.chat_id * 31 + 7)},
                {"data", chosen}};
  int64_t update_id = m_updates.add("callback_query", query.dump());
  return json{{"update_id", update_id}, {"callback_query_id", id}, {"data", chosen}};
}

json Bot::inject_channel_post(int64_t chat_id, const std::string& text) {
  json message = {{"message_id", m_chats.next_message_id(chat_id)},
                  {"sender_chat", {{"id", chat_id}, {"type", "channel"}, {"title", "Channel"}}},
                  {"chat", {{"id", chat_id}, {"type", "channel"}, {"title", "Channel"}}},
                  {"date", m_clock.unix_ms() / 1000},
                  {"text", text}};
  int64_t message_id = message["message_id"];
  m_chats.store(chat_id, message, false, 0);
  int64_t update_id = m_updates.add("channel_post", message.dump());
  return {{"update_id", update_id}, {"message_id", message_id}, {"chat_id", chat_id}};
}

std::variant<json, ApiFailure> Bot::inject_raw(json update) {
  if (!update.is_object()) {
    return ApiFailure{400, "an update must be a JSON object"};
  }
  int64_t id = m_updates.next_id();
  if (update.contains("update_id")) {
    if (!update["update_id"].is_number_integer() || update["update_id"].get<int64_t>() < id) {
      return ApiFailure{400, "update_id must be an integer of at least " + std::to_string(id)};
    }
    id = update["update_id"];
  }
  update["update_id"] = id;
  std::string type;
  for (const auto& [key, value] : update.items()) {
    if (key != "update_id") {
      type = key;
      break;
    }
  }
  m_updates.add_raw(id, type, update.dump());
  return json{{"update_id", id}};
}

json Bot::inject_bulk(size_t from, size_t to, const std::string& prefix, int64_t first_chat, int64_t chats) {
  // Built as text into one reused buffer: a benchmark injects ten thousand at once, and every
  // microsecond per message delays the first getUpdates page. The messages are not stored one
  // by one (their ids stay valid reply targets).
  chats = std::max<int64_t>(1, chats);
  std::string quoted_prefix = json(prefix + " ").dump();
  quoted_prefix.pop_back(); // reopen the string to append the number
  std::string date = std::to_string(m_clock.unix_ms() / 1000);
  int64_t first = m_updates.next_id();
  std::string payload;
  for (size_t i = from; i < to; ++i) {
    int64_t chat_id = first_chat + static_cast<int64_t>(i % static_cast<size_t>(chats));
    std::string user = std::to_string(chat_id > 0 ? chat_id : 1000);
    payload.assign("{\"message_id\":");
    payload += std::to_string(m_chats.next_message_id(chat_id));
    payload += ",\"from\":{\"id\":";
    payload += user;
    payload += ",\"is_bot\":false,\"first_name\":\"Bench\",\"username\":\"user";
    payload += user;
    payload += "\",\"language_code\":\"en\"},\"chat\":";
    if (chat_id > 0) {
      payload += "{\"id\":";
      payload += std::to_string(chat_id);
      payload += ",\"type\":\"private\"}";
    } else {
      payload += chat_object(chat_id, nullptr).dump();
    }
    payload += ",\"date\":";
    payload += date;
    payload += ",\"text\":";
    payload += quoted_prefix;
    payload += std::to_string(i + 1);
    payload += "\"}";
    m_updates.add("message", payload);
  }
  return {{"first_update_id", first}, {"last_update_id", m_updates.next_id() - 1}, {"count", to - from}};
}

json Bot::inject_bulk_photos(size_t count, const std::string& prefix, int64_t first_chat, int64_t chats,
                             const std::string& bytes) {
  chats = std::max<int64_t>(1, chats);
  int64_t first = m_updates.next_id();
  for (size_t i = 0; i < count; ++i) {
    Person who;
    who.chat_id = first_chat + static_cast<int64_t>(i) % chats;
    who.user_id = who.chat_id > 0 ? who.chat_id : 1000;
    who.first_name = "Bench";
    (void)inject_photo(who, bytes, 1280, 960, prefix + " " + std::to_string(i + 1));
  }
  return {{"first_update_id", first}, {"last_update_id", m_updates.next_id() - 1}, {"count", count}};
}

} // namespace m2g::fake::telegram
