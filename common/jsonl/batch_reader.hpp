#pragma once
// The input loop of the simple, blocking tools (m2g-queue put/ack): lines are handed out one
// by one, and a batch ends whenever input pauses (nothing more to read right now) or grows to
// `max_batch` lines. So a burst becomes one transaction, and an interactive line is committed
// at once.

#include "common/jsonl/reject.hpp"

#include <cstddef>
#include <functional>
#include <string_view>

namespace m2g::jsonl {

struct BatchReadOptions {
  size_t max_line_bytes = 1 << 20;
  size_t max_batch = 10'000;
};

/// Reads `fd` until EOF or a stop signal. `on_line(text, number)` gets every line that is not
/// over-long (empty lines are skipped); `on_batch()` closes a batch. Returns false when a read
/// failed (errno is kept).
bool read_batches(int fd, RejectSink& rejects, const BatchReadOptions& options,
                  const std::function<void(std::string_view, size_t)>& on_line, const std::function<void()>& on_batch);

} // namespace m2g::jsonl
