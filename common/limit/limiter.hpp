#pragma once
// The admission decision: a global token bucket and one bucket per key (user), both of which
// must admit a line. Time is passed in, never read, so tests drive it with a ManualClock.

#include "common/core/clock.hpp"
#include "common/limit/key_path.hpp"
#include "common/limit/key_table.hpp"
#include "common/limit/tiers.hpp"
#include "common/rate/token_bucket.hpp"

#include <cstdint>
#include <unordered_map>
#include <vector>

namespace m2g::limit {

/// The limits: global and default per-key rate (tokens/s) and burst (tokens).
struct LimitConfig {
  double rate = 5000;
  double burst = 5000;
  double key_rate = 30;
  double key_burst = 30;
  size_t max_keys = 1'000'000; ///< per-key buckets remembered at most (see KeyTable)
};

/// Which bucket refused a line.
enum class BucketKind { none, global, key };
const char* bucket_name(BucketKind kind);

/// The outcome of one decision.
struct Verdict {
  bool admitted = false;
  BucketKind bucket = BucketKind::none; ///< the refusing bucket (the per-key one if both would)
  int64_t retry_after_ns = 0;           ///< when both buckets will admit, if nothing else arrives
};

class Limiter {
public:
  Limiter(const LimitConfig& config, TimePoint now, uint64_t hash_seed);

  /// Admit one line of `key` (a KeyHasher value, or k_no_key_hash) at `now`: when both
  /// buckets have a token, take one from each; otherwise take nothing and say which refused.
  Verdict decide(uint64_t key, TimePoint now);
  /// How long until `key`'s own bucket has a token (0: now).
  int64_t key_wait_ns(uint64_t key, TimePoint now);
  /// How long until the global bucket has a token (0: now).
  int64_t global_wait_ns(TimePoint now) const;

  /// Replace the per-key tiers. A key whose limit changes keeps the tokens it has spent,
  /// counted in tokens (not time) and capped at its new burst.
  void set_tiers(const std::vector<Tier>& tiers, TimePoint now);
  size_t tier_count() const { return m_tiers.size(); }
  /// The shape of `key`'s bucket: its tier's, or the default.
  const rate::BucketShape& key_shape(uint64_t key) const;
  /// The rate and burst `key` is limited to (for messages).
  std::pair<double, double> key_limits(uint64_t key) const;

  /// Forget some full buckets; call now and then (e.g. once a second) so memory shrinks when idle.
  void maintain(TimePoint now);

  const KeyHasher& hasher() const { return m_hasher; }
  const KeyTable& keys() const { return m_keys; }
  const LimitConfig& config() const { return m_config; }

private:
  struct TierLimits {
    rate::BucketShape shape;
    double rate;
    double burst;
  };

  LimitConfig m_config;
  KeyHasher m_hasher;
  rate::BucketShape m_global_shape;
  int64_t m_global_full_at;
  rate::BucketShape m_key_shape;
  std::unordered_map<uint64_t, TierLimits> m_tiers;
  KeyTable m_keys;
};

} // namespace m2g::limit
