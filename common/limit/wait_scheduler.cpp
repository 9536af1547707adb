#include "common/limit/wait_scheduler.hpp"

#include "common/rate/token_bucket.hpp"

namespace m2g::limit {

void WaitScheduler::push_line(KeyQueue& queue, std::string&& line, int64_t tag) {
  uint32_t index = m_free;
  if (index != k_nil) {
    m_free = m_nodes[index].next;
  } else {
    index = static_cast<uint32_t>(m_nodes.size());
    m_nodes.emplace_back();
  }
  Node& node = m_nodes[index];
  node.line = std::move(line);
  node.tag = tag;
  node.next = k_nil;
  if (queue.tail == k_nil) {
    queue.head = index;
  } else {
    m_nodes[queue.tail].next = index;
  }
  queue.tail = index;
  ++m_held;
}

bool WaitScheduler::pop_line(KeyQueue& queue, const Sink& sink) {
  uint32_t index = queue.head;
  Node& node = m_nodes[index];
  queue.head = node.next;
  if (queue.head == k_nil) {
    queue.tail = k_nil;
  }
  std::string line = std::move(node.line);
  node.line = std::string(); // give the bytes back now, not when the node is reused
  int64_t tag = node.tag;
  node.next = m_free;
  m_free = index;
  --m_held;
  sink(std::move(line), tag);
  return queue.head != k_nil;
}

void WaitScheduler::schedule(uint64_t key, int64_t ready_at) {
  m_turns.push(Turn{ready_at, m_seq++, key});
}

bool WaitScheduler::offer(uint64_t key, std::string line, int64_t tag, TimePoint now, const Sink& sink) {
  auto it = m_queues.find(key);
  if (it != m_queues.end()) {
    push_line(it->second, std::move(line), tag); // behind the key's earlier lines
    return false;
  }
  // Only when nobody waits may a line skip the turn order.
  if (m_queues.empty() && m_limiter.decide(key, now).admitted) {
    sink(std::move(line), tag);
    return true;
  }
  KeyQueue& queue = m_queues[key];
  push_line(queue, std::move(line), tag);
  schedule(key, rate::to_ns(now) + m_limiter.key_wait_ns(key, now));
  return false;
}

std::optional<TimePoint> WaitScheduler::pump(TimePoint now, const Sink& sink) {
  int64_t now_ns = rate::to_ns(now);
  while (!m_turns.empty()) {
    int64_t global_wait = m_limiter.global_wait_ns(now);
    if (global_wait > 0) {
      return now + std::chrono::nanoseconds(global_wait);
    }
    Turn turn = m_turns.top();
    if (turn.ready_at > now_ns) {
      return now + std::chrono::nanoseconds(turn.ready_at - now_ns);
    }
    m_turns.pop();
    Verdict verdict = m_limiter.decide(turn.key, now);
    if (!verdict.admitted) {
      // The key's limit changed (a tier reload) since it was scheduled: take a new turn.
      schedule(turn.key, now_ns + std::max<int64_t>(verdict.retry_after_ns, 1));
      continue;
    }
    if (pop_line(m_queues[turn.key], sink)) {
      schedule(turn.key, now_ns + m_limiter.key_wait_ns(turn.key, now));
    } else {
      m_queues.erase(turn.key);
    }
  }
  return std::nullopt;
}

void WaitScheduler::retime(TimePoint now) {
  std::vector<Turn> turns;
  turns.reserve(m_turns.size());
  while (!m_turns.empty()) {
    turns.push_back(m_turns.top());
    m_turns.pop();
  }
  for (Turn& turn : turns) {
    turn.ready_at = rate::to_ns(now) + m_limiter.key_wait_ns(turn.key, now);
    m_turns.push(turn);
  }
}

size_t WaitScheduler::release_all(const Sink& sink) {
  size_t released = 0;
  while (!m_turns.empty()) {
    uint64_t key = m_turns.top().key;
    m_turns.pop();
    bool more = m_queues.count(key) > 0;
    while (more) {
      ++released;
      more = pop_line(m_queues[key], sink);
    }
    m_queues.erase(key);
  }
  m_nodes.clear();
  m_nodes.shrink_to_fit();
  m_free = k_nil;
  return released;
}

} // namespace m2g::limit
