#pragma once
// Everything m2g-progress says to Telegram goes through the Outbox. It turns action lines into
// calls and a job's progress, result, error and rejection lines into the states of one status
// message (slots.hpp), lets the Scheduler pick when each call may go, and handles what
// Telegram answers: 429 waits and retries, 5xx retries with backoff (bounded), "not modified"
// counts as done, a vanished message gets its end state as a new message, 401 stops all.
//
// It never holds up the lines themselves: the stage passes every line on before giving it to
// the Outbox, and calls run beside the work on the event loop. While a state waits for its
// turn, newer states of the same message replace it (newest wins), and an end state is never
// replaced by an intermediate one, so a slow or rate-limited Telegram costs edits, not delay.

#include "common/core/backoff.hpp"
#include "common/core/error.hpp"
#include "common/event/loop.hpp"
#include "common/jsonl/line.hpp"
#include "common/progress/job_line.hpp"
#include "common/progress/scheduler.hpp"
#include "common/progress/slots.hpp"
#include "common/progress/telegram.hpp"

#include <functional>
#include <memory>
#include <random>
#include <string>
#include <unordered_map>

namespace m2g::progress {

struct OutboxOptions {
  RateOptions rate;
  /// Idle status messages remembered (message id, last state); older ones are forgotten.
  size_t max_jobs = 10'000;
  /// Intermediate states shown per status message; later ones are skipped (the end state
  /// always goes out).
  int max_frames = 8;
  /// Calls in flight at once. Each holds a connection and libcurl's per-transfer buffers
  /// (~12 KB), and a global burst would otherwise start a second's worth at once (1,000 at
  /// --global-rate 1000: 27 MB). Calls beyond it wait in the scheduler, where a newer state
  /// still replaces an older one. 256 keep 1,000 calls/s going at 256 ms per call.
  size_t max_inflight = 256;
  /// Retries of a call after 5xx or network failures.
  BackoffPolicy backoff{Millis(500), Millis(30'000), 6};
};

/// What the outbox did, for logs and benchmarks.
struct OutboxStats {
  uint64_t calls = 0;        ///< HTTP requests made, retries included
  uint64_t new_messages = 0; ///< status messages sent (sendMessage for a slot)
  uint64_t edits = 0;        ///< status messages edited
  uint64_t actions = 0;      ///< one-shot action calls completed
  uint64_t coalesced = 0;    ///< states replaced by a newer one before they went out
  uint64_t skipped = 0;      ///< states not sent: stale, over the frame cap, unchanged, drained
  uint64_t rate_limited = 0; ///< 429 answers
  uint64_t retried = 0;      ///< transient failures retried
  uint64_t failed = 0;       ///< calls given up
};

class Outbox {
public:
  /// `loop` and `transport` must outlive the Outbox.
  Outbox(event::Loop& loop, Transport& transport, OutboxOptions options);
  ~Outbox();
  Outbox(const Outbox&) = delete;
  Outbox& operator=(const Outbox&) = delete;

  /// Act on a line of kind action, progress, result, error or rejection; other kinds are
  /// ignored. Fails, with the reason, only for an action that cannot be made (no or unknown
  /// method, params not an object).
  Result<void> accept(const json& line, jsonl::Kind kind);
  /// The same for a progress or result line read by read_job_line (no DOM).
  void accept(JobLine&& line);

  /// The input is over: intermediate progress states still waiting are dropped (their jobs
  /// will not finish in this process); end states and actions are still delivered.
  void drain();
  /// Nothing waiting or in flight, or a 401 stopped all sending.
  bool idle() const;
  /// Calls (queued and in flight) not yet done: the stage pauses its input when this is huge.
  size_t backlog() const { return m_scheduler.size(); }

  /// Called whenever idle() may have become true, or backlog() fell.
  std::function<void()> on_progress;
  /// Called once when Telegram refuses the token (401), with its description.
  std::function<void(const std::string&)> on_unauthorized;

  const OutboxStats& stats() const { return m_stats; }
  size_t active_slots() const { return m_slots.active(); }
  size_t remembered_slots() const { return m_slots.idle(); }
  size_t scheduler_chats() const { return m_scheduler.chats(); }

private:
  struct Action {
    Call call;
    int failures = 0;
    bool degraded = false;
  };

  Result<void> accept_action(const json& line);
  void accept_job_line(const json& line, Frame frame);
  void show_job_state(const json& chat, int64_t status_id, int64_t reply_to, const std::string& job, PackedFrame frame);
  void accept_rejection(const json& line);
  void update_slot(const std::string& key, const json& chat, int64_t message_id, int64_t reply_to, PackedFrame frame,
                   bool job_line);
  void add_action(Call call, Lane lane, int64_t chat_key);
  void schedule(Slot& slot);
  void settle(Slot& slot, const PackedFrame& frame);
  void finish_ticket(Slot& slot, TicketId ticket);
  void park_if_idle(Slot& slot);

  void request_pump();
  void pump();
  void dispatch(TicketId ticket);
  void send(const Call& call, std::function<void(Reply)> done);
  void on_slot_reply(const std::string& key, TicketId ticket, Reply reply);
  void on_action_reply(TicketId ticket, Reply reply);
  void unauthorized(const Reply& reply);
  void notify();

  event::Loop& m_loop;
  Transport& m_transport;
  OutboxOptions m_options;
  Scheduler m_scheduler;
  SlotTable m_slots;
  // Slot tickets -> their slot: an active slot stays where it is in the table until it has no
  // ticket, so the pointer holds (and a key per waiting slot would be another 32 bytes).
  std::unordered_map<TicketId, Slot*> m_ticket_slots;
  std::unordered_map<TicketId, Action> m_actions; // one-shot tickets
  OutboxStats m_stats;
  event::TimerId m_timer = 0;
  TimePoint m_timer_at{};
  bool m_pump_pending = false;
  bool m_draining = false;
  bool m_unauthorized = false;
  std::mt19937_64 m_rng{std::random_device{}()};                // jitter of every retry
  std::shared_ptr<bool> m_alive = std::make_shared<bool>(true); // replies after destruction are ignored
};

} // namespace m2g::progress
