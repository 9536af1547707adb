#pragma once
// Exponential backoff with full jitter, capped: the retry schedule of every m2g client
// (Telegram, GitHub, LLM). Jitter spreads retries of many clients so they do not return in
// lockstep; the cap keeps a long outage from growing the wait without bound.

#include "common/core/clock.hpp"

#include <algorithm>
#include <cstdint>
#include <random>

namespace m2g {

struct BackoffPolicy {
  Millis base{500};
  Millis cap{30'000};
  int max_attempts = 6; ///< attempts in all, the first included (0: unbounded)
};

/// The wait before the next attempt after `failures` failures: uniform in
/// [base·2^failures / 2, base·2^failures], capped. For callers that keep many retry counters
/// and share one generator (a Backoff carries a 2.5 KB generator of its own).
template <typename Rng> Millis backoff_delay(const BackoffPolicy& policy, int failures, Rng& rng) {
  int64_t ceiling = policy.base.count();
  for (int i = 0; i < failures && ceiling < policy.cap.count(); ++i) {
    ceiling *= 2;
  }
  ceiling = std::min<int64_t>(ceiling, policy.cap.count());
  std::uniform_int_distribution<int64_t> dist(ceiling / 2, ceiling);
  return Millis(dist(rng));
}

/// True when another attempt is allowed after `failures` failures.
inline bool backoff_allows(const BackoffPolicy& policy, int failures) {
  return policy.max_attempts == 0 || failures + 1 < policy.max_attempts;
}

class Backoff {
public:
  explicit Backoff(BackoffPolicy policy = {}, uint64_t seed = std::random_device{}()) : m_policy(policy), m_rng(seed) {}

  /// The wait before the next attempt: uniform in [base·2^n / 2, base·2^n], capped.
  Millis next_delay() { return backoff_delay(m_policy, m_failures++, m_rng); }
  /// Failures so far.
  int failures() const { return m_failures; }
  /// True when another attempt is allowed.
  bool can_retry() const { return backoff_allows(m_policy, m_failures); }
  void reset() { m_failures = 0; }

private:
  BackoffPolicy m_policy;
  std::mt19937_64 m_rng;
  int m_failures = 0;
};

} // namespace m2g
