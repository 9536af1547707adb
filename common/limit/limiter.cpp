#include "common/limit/limiter.hpp"

namespace m2g::limit {
namespace {
// Slots swept per maintain() call: a 2M-slot table is walked in half a minute at one call a second.
constexpr size_t k_sweep_per_maintain = 1 << 16;
} // namespace

const char* bucket_name(BucketKind kind) {
  switch (kind) {
  case BucketKind::global:
    return "global";
  case BucketKind::key:
    return "key";
  case BucketKind::none:
    break;
  }
  return "none";
}

Limiter::Limiter(const LimitConfig& config, TimePoint now, uint64_t hash_seed)
    : m_config(config), m_hasher(hash_seed), m_global_shape(rate::BucketShape::of(config.rate, config.burst)),
      m_global_full_at(rate::to_ns(now)), m_key_shape(rate::BucketShape::of(config.key_rate, config.key_burst)),
      m_keys(config.max_keys) {}

const rate::BucketShape& Limiter::key_shape(uint64_t key) const {
  if (!m_tiers.empty()) {
    auto it = m_tiers.find(key);
    if (it != m_tiers.end()) {
      return it->second.shape;
    }
  }
  return m_key_shape;
}

std::pair<double, double> Limiter::key_limits(uint64_t key) const {
  auto it = m_tiers.find(key);
  if (it != m_tiers.end()) {
    return {it->second.rate, it->second.burst};
  }
  return {m_config.key_rate, m_config.key_burst};
}

Verdict Limiter::decide(uint64_t key, TimePoint now) {
  int64_t now_ns = rate::to_ns(now);
  const rate::BucketShape& shape = key_shape(key);
  int64_t* stored = m_keys.find(key);
  int64_t key_full_at = stored ? *stored : rate::k_always_full;
  Verdict verdict;
  // Check both before taking from either: a refused line must cost nothing.
  int64_t key_wait = 0;
  int64_t global_wait = 0;
  bool key_ok = rate::try_take(shape, key_full_at, now_ns, &key_wait);
  int64_t global_full_at = m_global_full_at;
  bool global_ok = rate::try_take(m_global_shape, global_full_at, now_ns, &global_wait);
  if (key_ok && global_ok) {
    m_global_full_at = global_full_at;
    if (stored) {
      *stored = key_full_at;
    } else {
      m_keys.put(key, key_full_at, now_ns);
    }
    verdict.admitted = true;
    return verdict;
  }
  verdict.bucket = key_ok ? BucketKind::global : BucketKind::key;
  verdict.retry_after_ns = std::max(key_ok ? 0 : key_wait, global_ok ? 0 : global_wait);
  return verdict;
}

int64_t Limiter::key_wait_ns(uint64_t key, TimePoint now) {
  int64_t* stored = m_keys.find(key);
  if (!stored) {
    return 0;
  }
  return rate::time_to_token(key_shape(key), *stored, rate::to_ns(now));
}

int64_t Limiter::global_wait_ns(TimePoint now) const {
  return rate::time_to_token(m_global_shape, m_global_full_at, rate::to_ns(now));
}

void Limiter::set_tiers(const std::vector<Tier>& tiers, TimePoint now) {
  std::unordered_map<uint64_t, TierLimits> next;
  next.reserve(tiers.size());
  for (const Tier& tier : tiers) {
    next[m_hasher(tier.key)] = TierLimits{rate::BucketShape::of(tier.rate, tier.burst), tier.rate, tier.burst};
  }
  // Only keys named by the old or the new tiers change shape; convert their debt.
  int64_t now_ns = rate::to_ns(now);
  auto convert = [&](uint64_t key) {
    int64_t* full_at = m_keys.find(key);
    if (!full_at || *full_at <= now_ns) {
      return;
    }
    auto old_it = m_tiers.find(key);
    auto new_it = next.find(key);
    const rate::BucketShape& before = old_it != m_tiers.end() ? old_it->second.shape : m_key_shape;
    const rate::BucketShape& after = new_it != next.end() ? new_it->second.shape : m_key_shape;
    double spent = static_cast<double>(*full_at - now_ns) / static_cast<double>(before.ns_per_token);
    double debt = std::min(spent * static_cast<double>(after.ns_per_token), static_cast<double>(after.capacity_ns));
    *full_at = now_ns + static_cast<int64_t>(debt);
  };
  for (const auto& [key, limits] : m_tiers) {
    convert(key);
  }
  for (const auto& [key, limits] : next) {
    if (m_tiers.count(key) == 0) {
      convert(key);
    }
  }
  m_tiers.swap(next);
}

void Limiter::maintain(TimePoint now) {
  m_keys.sweep(rate::to_ns(now), k_sweep_per_maintain);
}

} // namespace m2g::limit
