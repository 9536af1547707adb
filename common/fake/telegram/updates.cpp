#include "common/fake/telegram/updates.hpp"

namespace m2g::fake::telegram {

int64_t UpdateStore::add(std::string_view type, std::string_view payload_json) {
  int64_t id = m_next_id++;
  std::string text;
  text.reserve(payload_json.size() + type.size() + 32);
  text += "{\"update_id\":";
  text += std::to_string(id);
  text += ",\"";
  text += type;
  text += "\":";
  text += payload_json;
  text += '}';
  m_updates.push_back(StoredUpdate{id, std::string(type), std::move(text)});
  return id;
}

void UpdateStore::add_raw(int64_t id, std::string type, std::string update_json) {
  m_updates.push_back(StoredUpdate{id, std::move(type), std::move(update_json)});
  m_next_id = id + 1;
}

void UpdateStore::confirm(int64_t offset) {
  if (offset > 0) {
    while (!m_updates.empty() && m_updates.front().id < offset) {
      m_updates.pop_front();
    }
  } else if (offset < 0) {
    // "retrieve updates starting from -offset update from the end… All previous updates will
    // be forgotten."
    auto keep = static_cast<size_t>(-offset);
    while (m_updates.size() > keep) {
      m_updates.pop_front();
    }
  }
}

std::vector<const StoredUpdate*> UpdateStore::peek(size_t limit, const std::set<std::string>& allowed) {
  std::vector<const StoredUpdate*> out;
  if (!allowed.empty()) {
    // Drop leading unwanted updates for good; unwanted ones further in are skipped.
    while (!m_updates.empty() && !allowed.count(m_updates.front().type)) {
      m_updates.pop_front();
    }
  }
  for (const auto& update : m_updates) {
    if (out.size() >= limit) {
      break;
    }
    if (allowed.empty() || allowed.count(update.type)) {
      out.push_back(&update);
    }
  }
  return out;
}

std::string UpdateStore::response_body(const std::vector<const StoredUpdate*>& updates) {
  size_t size = 32;
  for (const auto* update : updates) {
    size += update->json.size() + 1;
  }
  std::string body;
  body.reserve(size);
  body += "{\"ok\":true,\"result\":[";
  for (size_t i = 0; i < updates.size(); ++i) {
    if (i) {
      body += ',';
    }
    body += updates[i]->json;
  }
  body += "]}";
  return body;
}

} // namespace m2g::fake::telegram
