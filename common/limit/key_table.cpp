#include "common/limit/key_table.hpp"

#include <algorithm>

namespace m2g::limit {
namespace {

// Slots swept per insertion: a whole pass takes capacity/4 insertions, while crowding the table
// (load 0.7) takes far more, so stale buckets are gone before growth is needed.
constexpr size_t k_sweep_per_put = 4;
// Probing stops being cheap past this load.
constexpr double k_max_load = 0.7;
// When the table is at its maximum, a new key displaces the nearest-to-full of this many slots.
constexpr size_t k_evict_window = 16;

size_t round_up_pow2(size_t n) {
  size_t p = 1;
  while (p < n) {
    p <<= 1;
  }
  return p;
}

} // namespace

KeyTable::KeyTable(size_t max_keys, size_t initial_capacity)
    : m_min_capacity(round_up_pow2(std::max<size_t>(initial_capacity, 16))),
      m_max_capacity(std::max(m_min_capacity,
                              round_up_pow2(static_cast<size_t>(static_cast<double>(max_keys) / k_max_load) + 1))) {
  m_slots.assign(m_min_capacity, Slot{});
  m_mask = m_min_capacity - 1;
}

int64_t* KeyTable::find(uint64_t hash) {
  for (size_t i = home(hash);; i = (i + 1) & m_mask) {
    Slot& slot = m_slots[i];
    if (slot.hash == hash) {
      return &slot.full_at;
    }
    if (slot.hash == 0) {
      return nullptr;
    }
  }
}

void KeyTable::put(uint64_t hash, int64_t full_at, int64_t now_ns) {
  if (int64_t* existing = find(hash)) {
    *existing = full_at;
    return;
  }
  sweep(now_ns, k_sweep_per_put);
  if (static_cast<double>(m_size + 1) > k_max_load * static_cast<double>(capacity())) {
    if (capacity() < m_max_capacity) {
      rehash(capacity() * 2);
    } else {
      evict_nearest_full(hash, now_ns);
    }
  }
  insert_new(hash, full_at);
}

void KeyTable::insert_new(uint64_t hash, int64_t full_at) {
  size_t i = home(hash);
  while (m_slots[i].hash != 0) {
    i = (i + 1) & m_mask;
  }
  m_slots[i] = Slot{hash, full_at};
  ++m_size;
}

void KeyTable::evict_nearest_full(uint64_t hash, int64_t now_ns) {
  // Only the probe run where the new key lands is looked at: constant work per insertion even
  // when an attacker fills the table with live keys.
  size_t best = capacity();
  size_t i = home(hash);
  for (size_t seen = 0; seen < k_evict_window && seen < capacity(); ++seen, i = (i + 1) & m_mask) {
    if (m_slots[i].hash != 0 && (best == capacity() || m_slots[i].full_at < m_slots[best].full_at)) {
      best = i;
    }
  }
  if (best == capacity()) {
    return;
  }
  if (m_slots[best].full_at > now_ns) {
    ++m_forced;
  }
  erase_at(best);
}

void KeyTable::erase_at(size_t index) {
  // Backward-shift deletion: pull later members of the probe run into the hole, so lookups
  // never need tombstones.
  size_t hole = index;
  for (size_t j = (hole + 1) & m_mask; m_slots[j].hash != 0; j = (j + 1) & m_mask) {
    size_t want = home(m_slots[j].hash);
    // The entry at j may move to the hole unless its home lies cyclically in (hole, j].
    bool home_after_hole = hole <= j ? (want > hole && want <= j) : (want > hole || want <= j);
    if (!home_after_hole) {
      m_slots[hole] = m_slots[j];
      hole = j;
    }
  }
  m_slots[hole] = Slot{};
  --m_size;
}

void KeyTable::sweep(int64_t now_ns, size_t slots) {
  for (size_t advanced = 0; advanced < slots;) {
    if (m_size == 0) {
      if (capacity() > m_min_capacity) {
        rehash(m_min_capacity);
      }
      return;
    }
    Slot& slot = m_slots[m_cursor];
    if (slot.hash != 0 && slot.full_at <= now_ns) {
      erase_at(m_cursor); // another entry may have moved into the cursor's slot: look again
      continue;
    }
    m_cursor = (m_cursor + 1) & m_mask;
    ++advanced;
    if (m_cursor == 0 && capacity() > m_min_capacity && m_size * 8 < capacity()) {
      rehash(capacity() / 2);
    }
  }
}

void KeyTable::rehash(size_t new_capacity) {
  std::vector<Slot> old;
  old.swap(m_slots);
  m_slots.assign(new_capacity, Slot{});
  m_slots.shrink_to_fit();
  m_mask = new_capacity - 1;
  m_size = 0;
  m_cursor = 0;
  for (const Slot& slot : old) {
    if (slot.hash != 0) {
      insert_new(slot.hash, slot.full_at);
    }
  }
}

} // namespace m2g::limit
