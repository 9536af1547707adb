#pragma once
// Long polling with getUpdates, on the event loop. One cycle: ask for updates from the stored
// offset, normalize them, hand them off (sink.hpp: lines + new offset durably), and only then
// ask again with the new offset, which is what confirms the batch to Telegram. A crash before
// the handoff's commit leaves the batch unconfirmed on Telegram's side, so it comes again.
//
// Faults: 429 waits retry_after; 5xx, network errors and malformed answers back off
// exponentially with jitter (capped); 401 ends with 77, 409 with 69 (naming the cause), other
// refusals with 69 or 78. An empty answer that came back early (a server ignoring the long-poll
// timeout) waits out the rest of a second, so nothing ever spins.

#include "common/core/backoff.hpp"
#include "common/event/loop.hpp"
#include "common/jsonl/reject.hpp"
#include "common/poll/sink.hpp"
#include "common/telegram/api.hpp"
#include "common/telegram/normalize.hpp"

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace m2g::poll {

struct PollerOptions {
  int timeout_s = 30; ///< getUpdates long-poll timeout
  int limit = 100;    ///< updates per getUpdates (1–100)
  /// allowed_updates to send; nullopt: not sent (Telegram keeps the previous setting).
  std::optional<std::vector<std::string>> allowed_updates;
  bool once = false; ///< one poll, hand off, stop
  BackoffPolicy backoff{Millis(500), Millis(30'000), 0};
  /// In --once mode, give up (exit 75) after this many failed attempts in a row.
  int once_attempts = 5;
  /// An empty answer faster than this waits out the rest before the next poll.
  Millis min_empty_interval{1000};
};

/// Counters for the final log line and tests.
struct PollStats {
  uint64_t polls = 0;
  uint64_t updates = 0;    ///< updates received
  uint64_t written = 0;    ///< lines handed off
  uint64_t duplicates = 0; ///< updates already handed off before
  uint64_t failures = 0;   ///< failed polls or handoffs (retried)
};

class Poller {
public:
  /// `api`, `sink` and `loop` must outlive the poller. Malformed updates go to `rejects`.
  Poller(event::Loop& loop, telegram::Api& api, Sink& sink, jsonl::RejectSink& rejects, PollerOptions options,
         telegram::NormalizeOptions normalize = {});
  ~Poller();

  /// Read the stored offset and start. `finished(exit_code)` runs once when the poller ends
  /// (--once done, stop(), or a fatal refusal).
  void start(std::function<void(int)> finished);
  /// Stop after the handoff in progress (handoffs are synchronous, so: now). A poll in flight
  /// is abandoned; its updates were not confirmed and Telegram will send them again.
  void stop(int exit_code = 0);

  const PollStats& stats() const { return m_stats; }

private:
  void poll();
  void on_reply(telegram::Reply&& reply, TimePoint started);
  void handle_updates(const telegram::json& result, TimePoint started);
  void retry(const telegram::Reply& reply);
  void schedule(Millis delay);
  void finish(int exit_code, const std::string& message = {});

  event::Loop& m_loop;
  telegram::Api& m_api;
  Sink& m_sink;
  jsonl::RejectSink& m_rejects;
  PollerOptions m_options;
  telegram::NormalizeOptions m_normalize;
  Backoff m_backoff;
  PollStats m_stats;
  std::function<void(int)> m_finished;
  std::shared_ptr<bool> m_alive = std::make_shared<bool>(true);
  int64_t m_offset = 0;
  event::TimerId m_timer = 0;
  bool m_done = false;
  int m_failures_in_row = 0;
  uint64_t m_handoffs = 0;
};

/// The message for a 409 from getUpdates, naming its cause.
std::string conflict_message(const std::string& description);

} // namespace m2g::poll
