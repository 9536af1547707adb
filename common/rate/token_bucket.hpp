#pragma once
// A token bucket: `rate` tokens per second, holding at most `burst`. The arithmetic is in
// integer nanoseconds of "debt" so that millions of decisions per second stay exact and cheap:
// the bucket stores only the time at which it would be full again.
//
// The arithmetic is also available on a bare `full_at` (free functions over a BucketShape), so
// a table of millions of per-user buckets can store one int64 per user and share the shape.

#include "common/core/clock.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>

namespace m2g::rate {

/// A `full_at` that means "full since forever": the state of a bucket nobody has used.
inline constexpr int64_t k_always_full = std::numeric_limits<int64_t>::min() / 2;

/// Nanoseconds on the monotonic clock, the unit every bucket counts in.
inline int64_t to_ns(TimePoint t) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch()).count();
}

/// The fixed part of a bucket: the cost of one token and the most debt it may carry, in ns.
struct BucketShape {
  int64_t ns_per_token = 1;
  int64_t capacity_ns = 0;

  /// `rate` tokens/s (> 0), `burst` ≥ 1 tokens. The cost of a token is rounded up, so the
  /// bucket never admits more than `rate` per second (rates above 1e9/s become 1e9/s), and the
  /// capacity is `burst` whole token costs, so a full bucket gives exactly `burst` at once.
  static BucketShape of(double rate, double burst) {
    BucketShape shape;
    double cost = std::ceil(1e9 / rate);
    shape.ns_per_token = static_cast<int64_t>(std::clamp(cost, 1.0, 1e18));
    shape.capacity_ns = std::llround(std::min(burst * static_cast<double>(shape.ns_per_token), 4e18));
    return shape;
  }
  bool operator==(const BucketShape&) const = default;
};

/// Nanoseconds until `full_at`'s bucket has a token at `now_ns` (0: one is there now).
inline int64_t time_to_token(const BucketShape& shape, int64_t full_at, int64_t now_ns) {
  int64_t debt = std::max(full_at, now_ns) + shape.ns_per_token - now_ns;
  return std::max<int64_t>(0, debt - shape.capacity_ns);
}

/// Take one token from the bucket whose state is `full_at`, if it has one; on refusal `*wait_ns`
/// (when given) is how long until it will.
inline bool try_take(const BucketShape& shape, int64_t& full_at, int64_t now_ns, int64_t* wait_ns = nullptr) {
  // The bucket is full at full_at; it holds (capacity - (full_at - now)) ns worth of tokens.
  int64_t after = std::max(full_at, now_ns) + shape.ns_per_token;
  int64_t debt = after - now_ns;
  if (debt > shape.capacity_ns) {
    if (wait_ns) {
      *wait_ns = debt - shape.capacity_ns;
    }
    return false;
  }
  full_at = after;
  return true;
}

class TokenBucket {
public:
  TokenBucket() = default;
  /// `rate` tokens/s (> 0), `burst` ≥ 1 tokens; starts full at `now`.
  TokenBucket(double rate, double burst, TimePoint now)
      : m_shape(BucketShape::of(rate, burst)), m_full_at(to_ns(now)) {}

  /// Take one token if there is one. On refusal, `wait` is how long until one is available.
  bool try_take(TimePoint now, std::chrono::nanoseconds* wait = nullptr) {
    int64_t wait_ns = 0;
    bool taken = rate::try_take(m_shape, m_full_at, to_ns(now), &wait_ns);
    if (!taken && wait) {
      *wait = std::chrono::nanoseconds(wait_ns);
    }
    return taken;
  }

  /// How long until a token is available (0 if one is available now).
  std::chrono::nanoseconds time_to_token(TimePoint now) const {
    return std::chrono::nanoseconds(rate::time_to_token(m_shape, m_full_at, to_ns(now)));
  }

  /// True when the bucket is full at `now` (an idle bucket that can be forgotten).
  bool full(TimePoint now) const { return m_full_at <= to_ns(now); }

  /// Change rate and burst, keeping the tokens it holds (capped at the new burst).
  void reconfigure(double rate, double burst, TimePoint now) {
    int64_t now_ns = to_ns(now);
    int64_t held_debt = std::max<int64_t>(0, m_full_at - now_ns);
    m_shape = BucketShape::of(rate, burst);
    m_full_at = now_ns + std::min(held_debt, m_shape.capacity_ns);
  }

  const BucketShape& shape() const { return m_shape; }

private:
  BucketShape m_shape;
  int64_t m_full_at = 0;
};

} // namespace m2g::rate
