#include "common/progress/slots.hpp"

#include "common/progress/fields.hpp"

#include <array>

namespace m2g::progress {

const std::string& PackedFrame::link() const {
  static const std::string none;
  return shared_link ? *shared_link : none;
}

void PackedFrame::set_link(std::string_view link) {
  // The links seen last, shared: the results of one batch mostly link to the same few files.
  static std::array<std::shared_ptr<const std::string>, 8> recent;
  static size_t next = 0;
  if (link.empty()) {
    shared_link.reset();
    return;
  }
  for (const auto& known : recent) {
    if (known && *known == link) {
      shared_link = known;
      return;
    }
  }
  shared_link = std::make_shared<const std::string>(link);
  recent[next] = shared_link;
  next = (next + 1) % recent.size();
}

PackedFrame pack(Frame&& frame) {
  PackedFrame packed;
  json& params = frame.params;
  auto mode = params.find("parse_mode");
  auto preview = params.find("link_preview_options");
  if (mode != params.end() && *mode == "HTML" && preview != params.end() && *preview == no_link_preview()) {
    params.erase(mode);
    params.erase("link_preview_options");
    packed.html = true;
  }
  auto markup = params.find("reply_markup");
  if (!frame.link.empty() && markup != params.end() && *markup == view_button(frame.link)) {
    params.erase(markup);
    packed.view_button = true;
  }
  packed.params = params.dump(-1, ' ', false, json::error_handler_t::replace);
  packed.set_link(frame.link);
  packed.degraded = frame.degraded;
  packed.final = frame.final;
  packed.from_progress = frame.from_progress;
  packed.ends_job = frame.ends_job;
  packed.revivable = frame.revivable;
  return packed;
}

PackedFrame pack_status(std::string_view text, std::string_view url) {
  PackedFrame packed;
  std::string quoted = json(text).dump(-1, ' ', false, json::error_handler_t::replace);
  packed.params.reserve(quoted.size() + 10);
  packed.params += "{\"text\":";
  packed.params += quoted;
  packed.params += '}';
  packed.html = true;
  if (is_web_url(url)) {
    packed.set_link(url);
    packed.view_button = true;
  }
  return packed;
}

std::string status_call_body(const PackedFrame& frame, const json& chat, bool new_message, int64_t target) {
  constexpr std::array<std::string_view, 6> k_added{"chat_id",    "message_id",           "reply_parameters",
                                                    "parse_mode", "link_preview_options", "reply_markup"};
  std::array<RawValue, k_added.size()> found;
  std::string_view params = frame.params;
  if (!find_members(params, k_added, found)) {
    return {};
  }
  for (const auto& value : found) {
    if (value.present()) {
      return {};
    }
  }
  // The params' members, without the braces around them.
  size_t open = params.find('{');
  size_t close = params.rfind('}');
  if (open == std::string_view::npos || close == std::string_view::npos || close < open) {
    return {};
  }
  std::string_view members = params.substr(open + 1, close - open - 1);
  if (members.find_first_not_of(" \t\r\n") == std::string_view::npos) {
    members = {};
  }
  std::string body;
  body.reserve(params.size() + frame.link().size() + 192);
  body += "{\"chat_id\":";
  body += chat.dump(-1, ' ', false, json::error_handler_t::replace);
  if (!new_message) {
    body += ",\"message_id\":" + std::to_string(target);
  } else if (target != 0) {
    body +=
        ",\"reply_parameters\":{\"allow_sending_without_reply\":true,\"message_id\":" + std::to_string(target) + "}";
  }
  if (frame.html) {
    body += ",\"link_preview_options\":{\"is_disabled\":true},\"parse_mode\":\"HTML\"";
  }
  if (frame.view_button) {
    // view_button(link), as dump() writes it.
    body += ",\"reply_markup\":{\"inline_keyboard\":[[{\"text\":\"🔗 View\",\"url\":";
    body += json(frame.link()).dump(-1, ' ', false, json::error_handler_t::replace);
    body += "}]]}";
  }
  if (!members.empty()) {
    body += ',';
    body += members;
  }
  body += '}';
  return body;
}

Frame unpack(const PackedFrame& packed) {
  Frame frame;
  frame.params = json::parse(packed.params, nullptr, false); // our own dump: always an object
  if (!frame.params.is_object()) {
    frame.params = json::object();
  }
  if (packed.html) {
    frame.params["parse_mode"] = "HTML";
    frame.params["link_preview_options"] = no_link_preview();
  }
  if (packed.view_button) {
    frame.params["reply_markup"] = view_button(packed.link());
  }
  frame.link = packed.link();
  frame.degraded = packed.degraded;
  frame.final = packed.final;
  frame.from_progress = packed.from_progress;
  frame.ends_job = packed.ends_job;
  frame.revivable = packed.revivable;
  return frame;
}

Slot& SlotTable::activate(const std::string& key, bool* created) {
  auto it = m_active.find(key);
  if (it != m_active.end()) {
    if (created) {
      *created = false;
    }
    return it->second;
  }
  Slot slot;
  slot.key = key;
  auto remembered = m_idle.find(key);
  bool is_new = remembered == m_idle.end();
  if (!is_new) {
    static_cast<SlotMemory&>(slot) = std::move(remembered->second.first);
    m_lru.erase(remembered->second.second);
    m_idle.erase(remembered);
  }
  if (created) {
    *created = is_new;
  }
  return m_active.emplace(key, std::move(slot)).first->second;
}

Slot* SlotTable::find(const std::string& key) {
  auto it = m_active.find(key);
  return it == m_active.end() ? nullptr : &it->second;
}

const SlotMemory* SlotTable::recall(const std::string& key) const {
  auto active = m_active.find(key);
  if (active != m_active.end()) {
    return &active->second;
  }
  auto idle = m_idle.find(key);
  return idle == m_idle.end() ? nullptr : &idle->second.first;
}

void SlotTable::park(const std::string& key_ref) {
  std::string key = key_ref; // `key_ref` is often the slot's own key, gone with the slot
  auto it = m_active.find(key);
  if (it == m_active.end()) {
    return;
  }
  SlotMemory memory = std::move(static_cast<SlotMemory&>(it->second));
  m_active.erase(it);
  if (m_max_idle == 0) {
    return;
  }
  m_lru.push_front(key);
  m_idle.emplace(key, std::make_pair(std::move(memory), m_lru.begin()));
  while (m_idle.size() > m_max_idle) {
    m_idle.erase(m_lru.back());
    m_lru.pop_back();
  }
}

void SlotTable::forget(const std::string& key_ref) {
  std::string key = key_ref;
  m_active.erase(key);
  auto idle = m_idle.find(key);
  if (idle != m_idle.end()) {
    m_lru.erase(idle->second.second);
    m_idle.erase(idle);
  }
}

} // namespace m2g::progress
