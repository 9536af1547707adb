#include "common/jsonl/batch_reader.hpp"

#include "common/core/signals.hpp"
#include "common/jsonl/reader.hpp"

#include <poll.h>

namespace m2g::jsonl {
namespace {

bool input_pending(int fd) {
  pollfd pfd{fd, POLLIN, 0};
  return ::poll(&pfd, 1, 0) > 0;
}

} // namespace

bool read_batches(int fd, RejectSink& rejects, const BatchReadOptions& options,
                  const std::function<void(std::string_view, size_t)>& on_line, const std::function<void()>& on_batch) {
  LineReader reader(fd, options.max_line_bytes);
  size_t in_batch = 0;
  bool in_long = false;
  auto close_batch = [&] {
    if (in_batch > 0) {
      on_batch();
      in_batch = 0;
    }
  };
  while (!signals::stop_requested()) {
    std::string_view text;
    ReadEvent event = reader.next(text);
    if (event == ReadEvent::none) {
      if (reader.at_eof()) {
        break;
      }
      // Before blocking for more, commit what we hold: a pause in input ends a batch.
      if (!input_pending(fd)) {
        close_batch();
      }
      FillStatus status = reader.fill();
      if (status == FillStatus::error) {
        if (signals::stop_requested()) {
          break; // EINTR from SIGTERM
        }
        close_batch();
        return false;
      }
      continue;
    }
    if (event == ReadEvent::too_long_part || event == ReadEvent::too_long_end) {
      if (!in_long) {
        rejects.begin_long(reader.line_number(), options.max_line_bytes);
        in_long = true;
      }
      rejects.long_part(text);
      if (event == ReadEvent::too_long_end) {
        rejects.end_long();
        in_long = false;
      }
      continue;
    }
    if (text.find_first_not_of(" \t\r") == std::string_view::npos) {
      continue; // blank lines carry nothing; skipping them loses nothing
    }
    on_line(text, reader.line_number());
    if (++in_batch >= options.max_batch) {
      close_batch();
    }
  }
  close_batch();
  return true;
}

} // namespace m2g::jsonl
