#include "common/fake/telegram/chats.hpp"

#include <algorithm>

namespace m2g::fake::telegram {
namespace {

constexpr const char* k_not_modified =
    "Bad Request: message is not modified: specified new message content and reply markup are exactly the same "
    "as a current content and reply markup of the message";

} // namespace

int64_t ChatStore::next_message_id(int64_t chat_id) {
  return m_chats[chat_id].next_id++;
}

void ChatStore::store(int64_t chat_id, const json& message, bool from_bot, int64_t reply_to) {
  Chat& chat = m_chats[chat_id];
  int64_t id = message.value("message_id", int64_t{0});
  chat.next_id = std::max(chat.next_id, id + 1);
  StoredMessage& stored = chat.messages[id];
  stored.from_bot = from_bot;
  stored.text = message.dump();
  stored.reply_to = reply_to;
}

bool ChatStore::exists(int64_t chat_id, int64_t message_id) const {
  auto chat = m_chats.find(chat_id);
  if (chat == m_chats.end() || message_id <= 0 || message_id >= chat->second.next_id) {
    return false;
  }
  auto it = chat->second.messages.find(message_id);
  return it == chat->second.messages.end() || !it->second.deleted; // bulk messages are not stored
}

std::optional<json> ChatStore::message(int64_t chat_id, int64_t message_id) const {
  auto chat = m_chats.find(chat_id);
  if (chat == m_chats.end()) {
    return std::nullopt;
  }
  auto it = chat->second.messages.find(message_id);
  if (it == chat->second.messages.end() || it->second.deleted) {
    return std::nullopt;
  }
  json out = json::parse(it->second.text);
  if (it->second.reply_to != 0) {
    auto replied = chat->second.messages.find(it->second.reply_to);
    if (replied != chat->second.messages.end() && !replied->second.deleted) {
      out["reply_to_message"] = json::parse(replied->second.text);
    }
  }
  return out;
}

std::variant<json, ApiFailure> ChatStore::edit(int64_t chat_id, int64_t message_id,
                                               const std::optional<std::string>& text, const json& reply_markup,
                                               int64_t date) {
  auto chat = m_chats.find(chat_id);
  StoredMessage* stored = nullptr;
  if (chat != m_chats.end()) {
    auto it = chat->second.messages.find(message_id);
    if (it != chat->second.messages.end() && !it->second.deleted) {
      stored = &it->second;
    }
  }
  if (!stored) {
    return ApiFailure{400, "Bad Request: message to edit not found"};
  }
  if (!stored->from_bot) {
    return ApiFailure{400, "Bad Request: message can't be edited"};
  }
  json current = json::parse(stored->text);
  std::string new_text = text ? *text : current.value("text", std::string());
  json old_markup = current.contains("reply_markup") ? current["reply_markup"] : json();
  if (new_text == current.value("text", std::string()) && reply_markup == old_markup) {
    return ApiFailure{400, k_not_modified};
  }
  current["text"] = new_text;
  if (reply_markup.is_null()) {
    current.erase("reply_markup");
  } else {
    current["reply_markup"] = reply_markup;
  }
  current["edit_date"] = date;
  stored->text = current.dump();
  stored->edits.push_back(json{{"text", new_text}, {"reply_markup", reply_markup}, {"date", date}});
  return message(chat_id, message_id).value_or(current);
}

std::optional<ApiFailure> ChatStore::remove(int64_t chat_id, int64_t message_id) {
  auto chat = m_chats.find(chat_id);
  if (chat != m_chats.end()) {
    auto it = chat->second.messages.find(message_id);
    if (it != chat->second.messages.end() && !it->second.deleted) {
      it->second.deleted = true;
      return std::nullopt;
    }
  }
  return ApiFailure{400, "Bad Request: message to delete not found"};
}

std::string ChatStore::add_callback(int64_t chat_id, int64_t message_id, std::string data) {
  std::string id = std::to_string(4'000'000'000'000ULL + m_next_callback++);
  m_callbacks[id] = CallbackRecord{chat_id, message_id, std::move(data), false, json()};
  return id;
}

std::optional<ApiFailure> ChatStore::answer_callback(const std::string& id, const json& params) {
  auto it = m_callbacks.find(id);
  if (it == m_callbacks.end() || it->second.answered) {
    return ApiFailure{400, "Bad Request: query is too old and response timeout expired or query ID is invalid"};
  }
  it->second.answered = true;
  it->second.answer = params;
  return std::nullopt;
}

json ChatStore::bot_messages(int64_t chat_id) const {
  json out = json::array();
  auto chat = m_chats.find(chat_id);
  if (chat == m_chats.end()) {
    return out;
  }
  for (const auto& [id, stored] : chat->second.messages) {
    if (!stored.from_bot) {
      continue;
    }
    json current = json::parse(stored.text);
    json entry = json::object();
    entry["message_id"] = id;
    entry["text"] = current.value("text", std::string());
    entry["reply_markup"] = current.contains("reply_markup") ? current["reply_markup"] : json();
    entry["reply_to_message_id"] = stored.reply_to == 0 ? json() : json(stored.reply_to);
    entry["deleted"] = stored.deleted;
    entry["edits"] = stored.edits;
    entry["date"] = current.value("date", int64_t{0});
    out.push_back(std::move(entry));
  }
  return out;
}

std::vector<int64_t> ChatStore::chat_ids() const {
  std::vector<int64_t> ids;
  for (const auto& [id, chat] : m_chats) {
    ids.push_back(id);
  }
  std::sort(ids.begin(), ids.end());
  return ids;
}

void ChatStore::clear() {
  m_chats.clear();
  m_callbacks.clear();
}

} // namespace m2g::fake::telegram
