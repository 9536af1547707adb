#pragma once
// Telegram's sending limits as the fake enforces them (bots FAQ): about 30 messages per second
// overall, one per second per chat with short bursts allowed, 20 per minute in a group. A
// refused send is answered 429 with retry_after (whole seconds, at least 1), as Telegram does.

#include "common/core/clock.hpp"
#include "common/rate/token_bucket.hpp"

#include <cstdint>
#include <optional>
#include <unordered_map>

namespace m2g::fake::telegram {

struct SendLimits {
  double global_rate = 30; ///< messages per second over all chats (0: no limit)
  double global_burst = 30;
  double chat_rate = 1; ///< per private chat (0: no limit)
  double chat_burst = 3;
  double group_per_minute = 20; ///< per group chat (negative chat id; 0: no limit)
  double group_burst = 3;
};

class SendLimiter {
public:
  explicit SendLimiter(SendLimits limits = {}) : m_limits(limits) {}

  /// Count one send to `chat_id` at `now`; nullopt when allowed, else the seconds to wait.
  /// A refused send takes no token from any bucket.
  std::optional<int> admit(int64_t chat_id, TimePoint now);
  void set_limits(SendLimits limits);
  const SendLimits& limits() const { return m_limits; }
  void clear() {
    m_chats.clear();
    m_global_ready = false;
  }

private:
  rate::TokenBucket& chat_bucket(int64_t chat_id, TimePoint now);

  SendLimits m_limits;
  rate::TokenBucket m_global;
  bool m_global_ready = false;
  std::unordered_map<int64_t, rate::TokenBucket> m_chats;
};

} // namespace m2g::fake::telegram
