#include "common/route/access.hpp"

#include "common/core/exit_codes.hpp"
#include "common/route/callback_data.hpp"

namespace m2g::route {

Result<std::unordered_set<int64_t>> parse_chat_list(std::string_view text) {
  std::unordered_set<int64_t> out;
  size_t pos = 0;
  while (pos < text.size()) {
    while (pos < text.size() && (text[pos] == ',' || text[pos] == ' ' || text[pos] == '\t')) {
      ++pos;
    }
    size_t start = pos;
    while (pos < text.size() && text[pos] != ',' && text[pos] != ' ' && text[pos] != '\t') {
      ++pos;
    }
    if (pos == start) {
      break;
    }
    std::string_view item = text.substr(start, pos - start);
    auto id = parse_int(item);
    if (!id || *id == 0) {
      return fail(exit_code::k_usage, "'" + std::string(item) + "' is not a chat id (a whole number)");
    }
    out.insert(*id);
  }
  return out;
}

Access::Verdict Access::check(int64_t chat_id, bool registered) const {
  if (m_allowed.count(chat_id) > 0) {
    return Verdict::allowed;
  }
  if (m_multi_user) {
    return registered ? Verdict::allowed : Verdict::must_register;
  }
  return Verdict::refused;
}

bool Access::may_use_default_repo(int64_t chat_id) const {
  return !m_multi_user || m_shared_repo || m_allowed.count(chat_id) > 0;
}

bool Access::first_refusal(int64_t chat_id) {
  if (m_refused.size() >= k_max_remembered) {
    m_refused.clear();
  }
  return m_refused.insert(chat_id).second;
}

} // namespace m2g::route
