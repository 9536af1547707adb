#pragma once
// Where m2g-poll's update lines go, and how the handoff is made durable together with the
// offset:
//
// - a queue (--out sqlite:DB#TOPIC): the lines, their update_ids and the new offset are
//   committed in ONE transaction of the queue's database (the state tables live there), so a
//   crash at any moment leaves either all of a batch stored and its offset advanced, or none:
//   exactly once.
// - a pipe (--out -): the lines are written and flushed to stdout first, then the offset and
//   update_ids are committed to the state database. A crash between the two repeats the batch
//   on restart: at least once.

#include "common/core/clock.hpp"
#include "common/core/error.hpp"
#include "common/jsonl/writer.hpp"
#include "common/poll/state.hpp"
#include "common/queue/queue.hpp"
#include "common/sqlite/db.hpp"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace m2g::poll {

/// One normalized update ready for handoff.
struct Item {
  int64_t update_id = 0;
  std::string line; ///< the contract line, without '\n'
};

class Sink {
public:
  virtual ~Sink() = default;
  /// Hand off `items` (skipping update_ids already handed off) and, if given, store
  /// `next_offset`, durably. Returns how many lines were written. On failure nothing counts as
  /// handed off (for a pipe, lines may have been written: at least once).
  virtual Result<size_t> handoff(const std::vector<Item>& items, std::optional<int64_t> next_offset) = 0;
  /// The stored offset (0: none).
  virtual Result<int64_t> offset() = 0;
  /// Forget old update_ids (see k_seen_window).
  virtual Result<int64_t> prune() = 0;
  /// "queue 'q.db' topic 'updates'" / "standard output": for messages.
  virtual std::string describe() const = 0;
};

struct SinkOptions {
  std::string out = "-";    ///< "-" or "sqlite:PATH#TOPIC"
  std::string state_path;   ///< state database for pipe output ("" → default_state_path())
  bool state_given = false; ///< --state was set explicitly
  int64_t bot_id = 0;
  sqlite::Sync sync = sqlite::Sync::full;
  int out_fd = 1;
};

/// $M2G_DATA_DIR/poll.db when M2G_DATA_DIR is set, else ./poll-state.db.
std::string default_state_path();

/// Open the sink `options.out` names. Throws m2g::Error: 64 for a bad --out, 73 when a
/// database cannot be opened or created.
std::unique_ptr<Sink> open_sink(const SinkOptions& options, Clock& clock = SystemClock::instance());

} // namespace m2g::poll
