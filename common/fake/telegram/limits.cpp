#include "common/fake/telegram/limits.hpp"

#include <cmath>

namespace m2g::fake::telegram {
namespace {

int whole_seconds(std::chrono::nanoseconds wait) {
  double seconds = std::chrono::duration<double>(wait).count();
  return std::max(1, static_cast<int>(std::ceil(seconds)));
}

} // namespace

void SendLimiter::set_limits(SendLimits limits) {
  m_limits = limits;
  clear();
}

rate::TokenBucket& SendLimiter::chat_bucket(int64_t chat_id, TimePoint now) {
  auto it = m_chats.find(chat_id);
  if (it != m_chats.end()) {
    return it->second;
  }
  bool group = chat_id < 0;
  double rate = group ? m_limits.group_per_minute / 60.0 : m_limits.chat_rate;
  double burst = group ? m_limits.group_burst : m_limits.chat_burst;
  return m_chats.emplace(chat_id, rate::TokenBucket(rate, std::max(1.0, burst), now)).first->second;
}

std::optional<int> SendLimiter::admit(int64_t chat_id, TimePoint now) {
  bool group = chat_id < 0;
  bool chat_limited = group ? m_limits.group_per_minute > 0 : m_limits.chat_rate > 0;
  bool global_limited = m_limits.global_rate > 0;
  if (global_limited && !m_global_ready) {
    m_global = rate::TokenBucket(m_limits.global_rate, std::max(1.0, m_limits.global_burst), now);
    m_global_ready = true;
  }
  // Check both before taking from either, so a refusal costs nothing.
  std::chrono::nanoseconds wait{0};
  if (chat_limited) {
    wait = std::max(wait, chat_bucket(chat_id, now).time_to_token(now));
  }
  if (global_limited) {
    wait = std::max(wait, m_global.time_to_token(now));
  }
  if (wait.count() > 0) {
    return whole_seconds(wait);
  }
  if (chat_limited) {
    chat_bucket(chat_id, now).try_take(now);
  }
  if (global_limited) {
    m_global.try_take(now);
  }
  // Forget idle chats now and then so a long run does not grow without bound.
  if (m_chats.size() > 100'000) {
    std::erase_if(m_chats, [&](const auto& entry) { return entry.second.full(now); });
  }
  return std::nullopt;
}

} // namespace m2g::fake::telegram
