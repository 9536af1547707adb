#pragma once
// Wait mode: lines over a limit are held, never dropped, and released when both buckets admit
// them. Lines of one key leave in the order they came. Keys take turns: a ready-queue orders
// waiting keys by the time their own bucket admits (ties by arrival), and each release sends the
// served key to the back with its next ready time, so the global bucket serves keys in turn and
// one flooding key cannot starve a thousand others. The caller drives it from a timer: pump()
// says when to call again; nothing here sleeps or spins.

#include "common/core/clock.hpp"
#include "common/limit/limiter.hpp"

#include <cstdint>
#include <functional>
#include <optional>
#include <queue>
#include <string>
#include <unordered_map>
#include <vector>

namespace m2g::limit {

class WaitScheduler {
public:
  /// Receives each released line and the tag it was offered with.
  using Sink = std::function<void(std::string&& line, int64_t tag)>;

  explicit WaitScheduler(Limiter& limiter) : m_limiter(limiter) {}

  /// A line of `key` arrives. When nothing is held and both buckets admit it, it goes to `sink`
  /// at once (returns true); otherwise it is held behind the key's earlier lines (false).
  bool offer(uint64_t key, std::string line, int64_t tag, TimePoint now, const Sink& sink);
  /// Release every held line whose turn has come by `now`. Returns when to call again, or
  /// nothing when no line is held.
  std::optional<TimePoint> pump(TimePoint now, const Sink& sink);
  /// Release every held line now, ignoring the limits (shutdown), keys in turn order, each
  /// key's lines in order. Returns how many were released.
  size_t release_all(const Sink& sink);

  /// Recompute every waiting key's turn time (after the limits changed), keeping their order.
  void retime(TimePoint now);

  size_t held() const { return m_held; }
  size_t waiting_keys() const { return m_queues.size(); }

private:
  struct Node {
    std::string line;
    int64_t tag = 0;
    uint32_t next = k_nil;
  };
  struct KeyQueue {
    uint32_t head = k_nil;
    uint32_t tail = k_nil;
  };
  struct Turn {
    int64_t ready_at; // ns: when the key's own bucket admits its next line
    uint64_t seq;     // arrival order among equal ready times
    uint64_t key;
    bool operator>(const Turn& other) const {
      return ready_at > other.ready_at || (ready_at == other.ready_at && seq > other.seq);
    }
  };
  static constexpr uint32_t k_nil = UINT32_MAX;

  void push_line(KeyQueue& queue, std::string&& line, int64_t tag);
  /// Pop the key's first line into `sink`; true when the key has more.
  bool pop_line(KeyQueue& queue, const Sink& sink);
  void schedule(uint64_t key, int64_t ready_at);

  Limiter& m_limiter;
  // Held lines live in one pool of nodes chained per key: no per-key container overhead.
  std::vector<Node> m_nodes;
  uint32_t m_free = k_nil;
  std::unordered_map<uint64_t, KeyQueue> m_queues;
  std::priority_queue<Turn, std::vector<Turn>, std::greater<Turn>> m_turns;
  uint64_t m_seq = 0;
  size_t m_held = 0;
};

} // namespace m2g::limit
