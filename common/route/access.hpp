#pragma once
// Which chats m2g-route serves. A chat is served when its id is in the allowed list
// (M2G_ALLOWED_CHATS), or, in multi-user mode, once it has registered with /start. Everyone
// else gets one polite refusal per chat per run of m2g-route, and nothing about them is stored.
//
// Being served is not being trusted with the operator's repository: in multi-user mode a chat
// that registered itself files nothing into the default repository (M2G_REPO, with the
// operator's token) until it sets its own /repo, unless the operator shares the default
// repository on purpose (M2G_MULTI_USER_SHARED_REPO=1). The allowed chats, the operator's
// own, keep using it.

#include "common/core/error.hpp"

#include <cstdint>
#include <string_view>
#include <unordered_set>

namespace m2g::route {

/// Parse "123, -100456" (comma- or space-separated chat ids; empty gives an empty set).
Result<std::unordered_set<int64_t>> parse_chat_list(std::string_view text);

class Access {
public:
  enum class Verdict {
    allowed,       ///< serve it
    must_register, ///< multi-user mode, not registered yet: only /start is served
    refused,       ///< not allowed
  };

  Access(std::unordered_set<int64_t> allowed, bool multi_user, bool shared_repo = false)
      : m_allowed(std::move(allowed)), m_multi_user(multi_user), m_shared_repo(shared_repo) {}

  Verdict check(int64_t chat_id, bool registered) const;
  /// Whether jobs of `chat_id` (a served chat without a /repo of its own) may go to the default
  /// repository: an allowed chat, any chat of a single-owner bot, or any chat when shared.
  bool may_use_default_repo(int64_t chat_id) const;
  /// True the first time it is asked about `chat_id` (so a refused chat hears it once). The
  /// memory is bounded: after `k_max_remembered` chats it starts over.
  bool first_refusal(int64_t chat_id);
  bool multi_user() const { return m_multi_user; }
  /// True when no chat at all can be served (empty list, not multi-user).
  bool closed() const { return m_allowed.empty() && !m_multi_user; }

  static constexpr size_t k_max_remembered = 100'000;

private:
  std::unordered_set<int64_t> m_allowed;
  bool m_multi_user = false;
  bool m_shared_repo = false;
  std::unordered_set<int64_t> m_refused;
};

} // namespace m2g::route
