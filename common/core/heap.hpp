#pragma once
// Heap growth in one step, on transparent huge pages. A stage that holds thousands of
// requests at once (m2g-llm at --max-inflight 10000 peaks near 180 MB, most of it libcurl's
// per-transfer state) otherwise grows its heap 128 KiB at a time and takes one page fault per
// 4 KiB touched: on this project's VMs those faults were a third of its CPU time.

#include <cstddef>

namespace m2g::heap {

/// Grow the malloc heap by about `bytes` now and ask the kernel to back that range with huge
/// pages (madvise MADV_HUGEPAGE; a no-op where THP is off). Nothing is touched: RSS grows only
/// as memory is used. Freed memory at the heap's top is then kept, not trimmed. Sizes below
/// 8 MiB are ignored and above 1 GiB capped. Returns the bytes advised (0 when the heap did not
/// grow, e.g. under a sanitizer's allocator).
size_t reserve(size_t bytes);

} // namespace m2g::heap
