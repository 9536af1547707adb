#pragma once
// A token bucket: `rate` tokens per second, holding at most `burst`. The arithmetic is in
// integer nanoseconds of "debt" so that millions of decisions per second stay exact and cheap:
// the bucket stores only the time at which it would be full again.

#include "common/core/clock.hpp"

#include <algorithm>
#include <cstdint>

namespace m2g::rate {

class TokenBucket {
public:
  TokenBucket() = default;
  /// `rate` tokens/s (> 0), `burst` ≥ 1 tokens; starts full at `now`.
  TokenBucket(double rate, double burst, TimePoint now)
      : m_ns_per_token(static_cast<int64_t>(1e9 / rate)), m_capacity_ns(static_cast<int64_t>(burst * 1e9 / rate)),
        m_full_at(now) {}

  /// Take one token if there is one. On refusal, `wait` is how long until one is available.
  bool try_take(TimePoint now, std::chrono::nanoseconds* wait = nullptr) {
    // The bucket is full at m_full_at; it holds (capacity - (m_full_at - now)) ns of tokens.
    TimePoint start = std::max(m_full_at, now);
    TimePoint after = start + std::chrono::nanoseconds(m_ns_per_token);
    auto debt = after - now;
    if (debt.count() > m_capacity_ns) {
      if (wait) {
        *wait = std::chrono::nanoseconds(debt.count() - m_capacity_ns);
      }
      return false;
    }
    m_full_at = after;
    return true;
  }

  /// How long until a token is available (0 if one is available now).
  std::chrono::nanoseconds time_to_token(TimePoint now) const {
    TimePoint start = std::max(m_full_at, now);
    auto debt = (start + std::chrono::nanoseconds(m_ns_per_token)) - now;
    return std::chrono::nanoseconds(std::max<int64_t>(0, debt.count() - m_capacity_ns));
  }

  /// True when the bucket is full at `now` (an idle bucket that can be forgotten).
  bool full(TimePoint now) const { return m_full_at <= now; }

  /// Change rate and burst, keeping the tokens it holds (capped at the new burst).
  void reconfigure(double rate, double burst, TimePoint now) {
    auto held_debt = std::max<int64_t>(0, (m_full_at - now).count());
    m_ns_per_token = static_cast<int64_t>(1e9 / rate);
    m_capacity_ns = static_cast<int64_t>(burst * 1e9 / rate);
    m_full_at = now + std::chrono::nanoseconds(std::min(held_debt, m_capacity_ns));
  }

private:
  int64_t m_ns_per_token = 1;
  int64_t m_capacity_ns = 0;
  TimePoint m_full_at{};
};

} // namespace m2g::rate
