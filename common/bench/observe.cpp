#include "common/bench/observe.hpp"

#include "common/jsonl/scan.hpp"
#include "common/progress/fields.hpp"

#include <algorithm>

namespace m2g::bench {

void ResultTally::feed(std::string_view bytes, double t_s) {
  while (!bytes.empty()) {
    size_t end = bytes.find('\n');
    if (end == std::string_view::npos) {
      m_partial.append(bytes);
      return;
    }
    if (m_partial.empty()) {
      line(bytes.substr(0, end), t_s);
    } else {
      m_partial.append(bytes.substr(0, end));
      line(m_partial, t_s);
      m_partial.clear();
    }
    bytes.remove_prefix(end + 1);
  }
}

namespace {

// A message's key from its chat_id and message_id as they stand in the line ("" when absent):
// the integers' digits, or the raw text of any other value.
std::string message_key(const progress::RawValue& chat, const progress::RawValue& message) {
  if (!chat.present() || !message.present()) {
    return {};
  }
  std::string key(chat.text);
  key += ':';
  key += message.text;
  return key;
}

} // namespace

// The driver reads every line m2g-progress writes while the stages run on the same two cores:
// the lines are validated and their five fields read from the text (jsonl::scan and
// progress::find_members, no allocation), as a DOM per line cost the run ~10 µs of CPU each
// at its tail, when the last results go through.
void ResultTally::line(std::string_view text, double t_s) {
  if (text.empty()) {
    return;
  }
  ++m_lines;
  jsonl::ScanInfo info;
  size_t error_offset = 0;
  if (jsonl::scan(text, info, error_offset) != nullptr || !info.is_object) {
    ++m_bad_lines;
    return;
  }
  static constexpr std::string_view k_keys[] = {"kind", "chat_id", "message_id", "title_source"};
  progress::RawValue values[std::size(k_keys)];
  if (!progress::find_members(text, k_keys, values)) {
    line_by_dom(text, t_s); // a key spelled with escapes
    return;
  }
  std::string kind = values[0].type == progress::RawValue::Type::string ? values[0].string() : std::string();
  std::string title_source = values[3].type == progress::RawValue::Type::string ? values[3].string() : std::string();
  count(kind, message_key(values[1], values[2]), title_source == "llm", t_s);
}

void ResultTally::line_by_dom(std::string_view text, double t_s) {
  auto json = nlohmann::json::parse(text, nullptr, false);
  if (!json.is_object()) {
    ++m_bad_lines;
    return;
  }
  std::string key;
  if (json.contains("chat_id") && json.contains("message_id")) {
    key = json["chat_id"].dump() + ":" + json["message_id"].dump();
  }
  count(json.value("kind", ""), key, json.value("title_source", "") == "llm", t_s);
}

void ResultTally::count(const std::string& kind, const std::string& key, bool llm_title, double t_s) {
  bool result = kind == "result";
  if (!result && kind != "error" && kind != "rejection") {
    return;
  }
  // The message a line is about; a line without one (a stage's own error) is not a message.
  if (key.empty()) {
    return;
  }
  auto [it, inserted] = m_messages.try_emplace(key, result ? State::result : State::error);
  if (!inserted) {
    if (!result || it->second == State::result) {
      return; // a second result (duplicate delivery) or a later error: the first answer stands
    }
    it->second = State::result;
    --m_errors;
  } else if (!result) {
    ++m_errors;
    return;
  }
  ++m_succeeded;
  m_last_result_s = std::max(m_last_result_s, t_s);
  m_latencies.add(t_s);
  if (llm_title) {
    ++m_llm_titles;
  }
}

size_t ResultTally::failed() const {
  return m_errors;
}

size_t messages_in_chat(size_t messages, size_t chats, size_t index) {
  if (chats == 0 || index >= chats) {
    return 0;
  }
  return messages / chats + (index < messages % chats ? 1 : 0);
}

size_t confirmations(const nlohmann::json& chat_state) {
  const auto* messages = &chat_state;
  if (chat_state.is_object()) {
    auto it = chat_state.find("messages");
    if (it == chat_state.end()) {
      return 0;
    }
    messages = &*it;
  }
  if (!messages->is_array()) {
    return 0;
  }
  static const std::string k_check = "\xE2\x9C\x85"; // ✅
  size_t count = 0;
  for (const auto& message : *messages) {
    if (!message.is_object() || message.value("deleted", false)) {
      continue;
    }
    auto text = message.find("text");
    if (text != message.end() && text->is_string() && text->get_ref<const std::string&>().rfind(k_check, 0) == 0) {
      ++count;
    }
  }
  return count;
}

ConfirmTracker::ConfirmTracker(int64_t first_chat, size_t chats, size_t messages) {
  for (size_t i = 0; i < chats; ++i) {
    if (size_t n = messages_in_chat(messages, chats, i); n > 0) {
      m_pending[first_chat + static_cast<int64_t>(i)] = n;
    }
  }
}

std::vector<int64_t> ConfirmTracker::pending() const {
  std::vector<int64_t> out;
  out.reserve(m_pending.size());
  for (const auto& [chat, expected] : m_pending) {
    out.push_back(chat);
  }
  return out;
}

bool ConfirmTracker::seen(int64_t chat, size_t confirmed, double t_s) {
  auto it = m_pending.find(chat);
  if (it == m_pending.end() || confirmed < it->second) {
    return false;
  }
  m_confirmed += it->second;
  for (size_t i = 0; i < it->second; ++i) {
    m_latencies.add(t_s);
  }
  m_last_s = std::max(m_last_s, t_s);
  m_pending.erase(it);
  return true;
}

} // namespace m2g::bench
