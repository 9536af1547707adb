#pragma once
// The per-key bucket states: a compact open-addressing table (linear probing, backward-shift
// deletion, no tombstones) of 16-byte slots {key hash, full_at}. The key string is never stored:
// a bucket is its 64-bit hash and the time at which it will be full again. A full bucket is the
// same as a fresh one, so full buckets are forgotten by an incremental sweep; memory follows the
// number of keys active within a burst's refill time, not the number of keys ever seen.

#include <cstddef>
#include <cstdint>
#include <vector>

namespace m2g::limit {

class KeyTable {
public:
  /// At most about `max_keys` buckets are remembered; past that the table stops growing and
  /// forgets the bucket closest to full (a small gift of tokens to that key, never a loss).
  explicit KeyTable(size_t max_keys = 1'000'000, size_t initial_capacity = 1024);

  /// The `full_at` of `hash`'s bucket, or nullptr when it is not remembered (it is full).
  /// The pointer is valid until the next put() or sweep().
  int64_t* find(uint64_t hash);
  /// Remember `full_at` for `hash`. Sweeps a few slots first, so forgetting keeps pace with
  /// new keys, and grows the table when it gets crowded.
  void put(uint64_t hash, int64_t full_at, int64_t now_ns);
  /// Forget full buckets (full_at <= now) among the next `slots` slots. After each whole pass,
  /// a table that is mostly empty is halved, so memory comes back after a flood of keys.
  void sweep(int64_t now_ns, size_t slots);

  size_t size() const { return m_size; }
  size_t capacity() const { return m_slots.size(); }
  size_t bytes() const { return m_slots.capacity() * sizeof(Slot); }
  /// Buckets forgotten before they were full because the table was at its maximum.
  uint64_t forced_evictions() const { return m_forced; }

private:
  struct Slot {
    uint64_t hash = 0; // 0: empty
    int64_t full_at = 0;
  };

  size_t home(uint64_t hash) const { return static_cast<size_t>(hash) & m_mask; }
  void erase_at(size_t index);
  void rehash(size_t capacity);
  void insert_new(uint64_t hash, int64_t full_at);
  void evict_nearest_full(uint64_t hash, int64_t now_ns);

  std::vector<Slot> m_slots;
  size_t m_mask = 0;
  size_t m_size = 0;
  size_t m_cursor = 0;
  size_t m_min_capacity;
  size_t m_max_capacity;
  uint64_t m_forced = 0;
};

} // namespace m2g::limit
