#include "common/core/heap.hpp"

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <malloc.h>
#include <sys/mman.h>
#include <unistd.h>

namespace m2g::heap {
namespace {

constexpr size_t k_huge_page = 2 << 20;
constexpr size_t k_min_bytes = 8 << 20;
constexpr size_t k_max_bytes = 1 << 30;
constexpr size_t k_probe_block = 64 << 10; // below malloc's mmap threshold: served by the heap
constexpr int k_max_probes = 64;           // bounded, for allocators that never move the break
constexpr int k_default_top_pad = 128 << 10;

uintptr_t align_up(uintptr_t value) {
  return (value + k_huge_page - 1) & ~(k_huge_page - 1);
}

uintptr_t align_down(uintptr_t value) {
  return value & ~(k_huge_page - 1);
}

} // namespace

size_t reserve(size_t bytes) {
  if (bytes < k_min_bytes) {
    return 0;
  }
  bytes = std::min(bytes, k_max_bytes);
  // Kept after a free, or the first free at the top would hand the reservation back.
  mallopt(M_TRIM_THRESHOLD, static_cast<int>(bytes + k_huge_page));
  // The next growth of the heap is by `bytes` at once: probe until it happens.
  mallopt(M_TOP_PAD, static_cast<int>(bytes));
  auto start = reinterpret_cast<uintptr_t>(sbrk(0));
  uintptr_t end = start;
  void* probes[k_max_probes];
  int count = 0;
  while (count < k_max_probes && end == start) {
    probes[count++] = malloc(k_probe_block);
    end = reinterpret_cast<uintptr_t>(sbrk(0));
  }
  while (count > 0) {
    free(probes[--count]);
  }
  mallopt(M_TOP_PAD, k_default_top_pad);
  uintptr_t from = align_up(start);
  uintptr_t to = align_down(end);
  if (end <= start || to <= from) {
    return 0;
  }
  if (madvise(reinterpret_cast<void*>(from), to - from, MADV_HUGEPAGE) != 0) {
    return 0;
  }
  return to - from;
}

} // namespace m2g::heap
