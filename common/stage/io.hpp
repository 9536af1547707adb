#pragma once
// The runtime of a pipeline stage: reads lines from stdin or a queue topic on the event loop,
// decodes them against the contract (bad ones go to the reject sink, the stage goes on), hands
// each to the stage, and writes what the stage produces to stdout or a queue topic. It applies
// backpressure (input pauses while output is backed up), and on EOF, SIGTERM or SIGINT it
// stops reading, waits until the stage says it is idle, flushes, and stops the loop.

#include "common/event/loop.hpp"
#include "common/jsonl/line.hpp"
#include "common/jsonl/reader.hpp"
#include "common/jsonl/reject.hpp"
#include "common/jsonl/writer.hpp"
#include "common/queue/queue.hpp"
#include "common/queue/watch.hpp"
#include "common/stage/endpoint.hpp"
#include "common/stage/quiet_checkpoint.hpp"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace m2g::stage {

struct IoOptions {
  std::string in = "-";
  std::string out = "-";
  std::string reject_path;
  /// Input pauses while more than this many bytes wait for a slow stdout reader.
  size_t max_output_buffer = 4 << 20;
  /// Queue input: lines taken per transaction, and at most this many unfinished at once.
  size_t take_batch = 512;
  size_t max_unfinished = 4096;
  int64_t lease_ms = 300'000;
  int64_t max_tries = 5;
  sqlite::Sync sync = sqlite::Sync::full;

  /// A copy whose queue input may hold at least `lines` unfinished: a stage that keeps many
  /// lines at once (requests in flight, a batch, lines waiting for tokens) must be able to take
  /// them, or the queue, not the stage, decides how much works in parallel.
  IoOptions holding(size_t lines) const {
    IoOptions copy = *this;
    copy.max_unfinished = std::max(max_unfinished, lines);
    return copy;
  }
};

/// Add --in, --out and --reject (with M2G_<PREFIX>_IN/OUT/REJECT from the environment).
void add_io_options(CLI::App& app, IoOptions& options, const std::string& env_prefix);

/// What the queue endpoints did over a run (for the stage's debug summary).
struct IoStats {
  uint64_t takes = 0, empty_takes = 0, lines_taken = 0;
  uint64_t handoffs = 0, lines_handed_off = 0;
  uint64_t takes_with_acks = 0; ///< takes that also acknowledged finished lines (pipe or other-file output)
};

/// Names the input a line came from, so finishing it acknowledges its queue entry.
struct Token {
  int64_t entry = 0; ///< queue entry id; 0 for pipe input
};

class Io {
public:
  using LineHandler = std::function<void(jsonl::Line&&, Token)>;

  /// Opens the endpoints; throws m2g::Error on a bad endpoint or an unopenable queue.
  Io(event::Loop& loop, const IoOptions& options);
  ~Io();
  Io(const Io&) = delete;
  Io& operator=(const Io&) = delete;

  /// Start reading. `on_line` gets every valid line; `idle` tells whether the stage has no
  /// work in flight (the run ends once input is over and idle() holds).
  void start(LineHandler on_line, std::function<bool()> idle);

  /// Forward a line the stage does not own, unchanged.
  void pass(jsonl::Line&& line, Token token);
  /// The stage is done with input `token`; `lines` are its outputs, handed off with the
  /// input's acknowledgement (one transaction when both are topics of one database).
  void finish(Token token, std::vector<std::string> lines);
  /// Give input `token` up for now: `lines` are written (an error line, say), but a queue
  /// entry is not acknowledged; it stays leased until its lease runs out and is then taken
  /// again, a later try. For pipe input this is finish().
  void release(Token token, std::vector<std::string> lines);
  /// Write a line that finishes no input (a progress event, a line the stage originates).
  void emit(std::string line);

  /// Stage-level backpressure (e.g. a cap on lines held): stop and restart reading.
  void pause();
  void resume();
  /// Stop reading for good and end the run once idle; what SIGTERM does.
  void shutdown();
  /// Run `hook` once SIGTERM or SIGINT has stopped the input, so a stage can cut slow work
  /// short (e.g. skip pending retries) and the drain ends soon.
  void on_signal_drain(std::function<void()> hook) { m_on_signal_drain = std::move(hook); }
  /// Run `hook` once when the input ends (end of file, a read error, SIGTERM or shutdown()), so a
  /// stage that waits to gather work (a batch window) can send what it holds at once.
  void on_input_over(std::function<void()> hook) { m_on_input_over = std::move(hook); }
  /// Run `hook` before each handoff of finished lines (to the output and, for queue input,
  /// the acknowledgements), so a stage that keeps its own state in a transaction commits it
  /// first: its outputs never leave before the state they depend on is durable.
  void before_handoff(std::function<void()> hook) { m_before_handoff = std::move(hook); }
  /// Call when the stage's idle() may have become true (after async work completes).
  void check_done();
  bool input_over() const { return m_input_over; }

  /// The exit code for the run: 0, 130 after SIGINT, 74 when stdout failed.
  int exit_code() const;
  size_t rejected() const { return m_rejects.count(); }
  const IoStats& stats() const { return m_stats; }
  /// Report a line the stage could not use (counts toward rejected()).
  void reject(const jsonl::Line& line, std::string_view reason);

private:
  void on_stdin_readable();
  void handle_raw(std::string_view text, size_t number, Token token);
  void schedule_take(int delay_ms);
  /// Acknowledge the inputs left for the next take in a transaction of their own.
  void ack_for_take();
  void take_from_queue();
  /// After lines were finished: take again if the cap on unfinished lines cut a take short.
  void take_again_if_capped();
  void schedule_commit();
  void commit();
  void on_stdout_writable();
  void update_read_interest();
  void stop_loop_if_done();
  /// Mark the input over, once, and tell the stage (on_input_over).
  void end_input();

  event::Loop& m_loop;
  IoOptions m_options;
  Endpoint m_in_ep, m_out_ep;
  jsonl::RejectSink m_rejects;
  LineHandler m_on_line;
  std::function<bool()> m_idle;
  std::function<void()> m_on_signal_drain;
  std::function<void()> m_on_input_over;
  std::function<void()> m_before_handoff;

  // pipe input
  std::optional<jsonl::LineReader> m_reader;
  bool m_in_long = false;
  int m_stdin_flags = -1;
  // queue input/output
  std::optional<queue::Queue> m_in_queue;
  std::optional<queue::Queue> m_out_queue; // empty when output shares the input's database
  QuietCheckpoint m_quiet_checkpoint;      // after the queues: it points into them
  std::unique_ptr<queue::ChangeWatcher> m_watcher;
  event::TimerId m_take_timer = 0;
  bool m_take_scheduled = false;
  bool m_capped = false; // a take was cut short (or skipped) by max_unfinished
  size_t m_unfinished = 0;
  // pending handoff, committed once per loop round
  std::vector<std::string> m_pending_out;
  std::vector<int64_t> m_pending_acks;
  /// Inputs whose outputs are durable (stored in another file, or written to the pipe), left
  /// for the take due in this loop round to acknowledge in its transaction. A one-file handoff
  /// never leaves any: its outputs and acknowledgements commit together.
  std::vector<int64_t> m_acks_for_take;
  std::vector<int64_t> m_acks_after_flush; // pipe output: ack once the bytes reached the pipe
  bool m_commit_scheduled = false;
  // pipe output
  std::optional<jsonl::LineWriter> m_writer;
  int m_stdout_flags = -1;
  bool m_stdout_watched = false;

  bool m_paused_by_stage = false;
  bool m_paused_by_output = false;
  bool m_reading = false;
  bool m_input_over = false;
  bool m_stopped = false;
  bool m_output_failed = false;
  int m_stop_signal = 0;
  IoStats m_stats;
};

} // namespace m2g::stage
