#include "common/stage/io.hpp"

#include "common/core/exit_codes.hpp"
#include "common/core/log.hpp"

#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>

namespace m2g::stage {
namespace {

// Reads per readable event before yielding to other fds and timers (fairness).
constexpr int k_reads_per_wakeup = 4;
// How often a queue input looks for work when no change notification arrives.
constexpr int k_queue_tick_ms = 1000;
// How long a stage with queue input or output must have been idle before it checkpoints
// their files (see quiet_checkpoint.hpp).
constexpr Millis k_quiet_checkpoint(200);

int set_nonblocking(int fd) {
  int flags = fcntl(fd, F_GETFL);
  if (flags >= 0) {
    fcntl(fd, F_SETFL, flags | O_NONBLOCK);
  }
  return flags;
}

} // namespace

void add_io_options(CLI::App& app, IoOptions& options, const std::string& env_prefix) {
  app.add_option("--in", options.in, "Input: '-' (stdin) or sqlite:FILE#TOPIC")
      ->envname("M2G_" + env_prefix + "_IN")
      ->capture_default_str();
  app.add_option("--out", options.out, "Output: '-' (stdout) or sqlite:FILE#TOPIC")
      ->envname("M2G_" + env_prefix + "_OUT")
      ->capture_default_str();
  app.add_option("--reject", options.reject_path, "Append rejected input lines to FILE")
      ->envname("M2G_" + env_prefix + "_REJECT");
  app.add_option_function<double>(
         "--in-lease", [&options](double seconds) { options.lease_ms = static_cast<int64_t>(seconds * 1000); },
         "Queue input: seconds before a line taken but not finished is taken again (default 300)")
      ->envname("M2G_" + env_prefix + "_IN_LEASE")
      ->check(CLI::Range(1e-3, 366.0 * 86400));
}

Io::Io(event::Loop& loop, const IoOptions& options)
    : m_loop(loop), m_options(options), m_rejects(options.reject_path), m_quiet_checkpoint(loop, k_quiet_checkpoint) {
  m_in_ep = parse_endpoint(options.in).take_or_throw();
  m_out_ep = parse_endpoint(options.out).take_or_throw();
  sqlite::OpenOptions open;
  open.sync = options.sync;
  bool one_file = m_in_ep.is_queue() && m_out_ep.is_queue() && m_in_ep.path == m_out_ep.path;
  if (m_in_ep.is_queue()) {
    // Takes and acknowledgements need no fsync of their own: one lost to a power cut only means
    // its lines are delivered again. Only lines written must be on disk before their input is
    // acknowledged, and those go through the output's connection. (With input and output in one
    // file, one transaction does both, so it keeps the level asked for.) An fsync under load
    // costs milliseconds, with the queue's write lock held.
    //
    // With input and output in one file the same holds for the whole handoff: a WAL that loses
    // its tail to a power cut keeps a prefix of the transactions (frames are checksummed in a
    // chain), and each handoff is one transaction, so its lines are either handed on or still
    // in the input topic, to be taken again. Nothing is lost; work is at worst repeated, which
    // every stage already tolerates (a repeated job is answered as a duplicate). Only a line
    // written to another file must be synced before its input is acknowledged.
    sqlite::OpenOptions in_open = open;
    if (in_open.sync == sqlite::Sync::full) {
      in_open.sync = sqlite::Sync::normal;
    }
    m_in_queue.emplace(queue::Queue::open(m_in_ep.path, in_open).take_or_throw());
    m_quiet_checkpoint.add(m_in_queue->db());
  }
  if (m_out_ep.is_queue() && !one_file) {
    m_out_queue.emplace(queue::Queue::open(m_out_ep.path, open).take_or_throw());
    m_quiet_checkpoint.add(m_out_queue->db());
  }
  if (!m_out_ep.is_queue()) {
    m_writer.emplace(STDOUT_FILENO);
    m_stdout_flags = set_nonblocking(STDOUT_FILENO);
  }
  if (!m_in_ep.is_queue()) {
    m_reader.emplace(STDIN_FILENO, jsonl::k_max_line_bytes);
    m_stdin_flags = set_nonblocking(STDIN_FILENO);
  }
  auto on_stop = [this](int signo) {
    m_stop_signal = signo;
    log::debug(signo == SIGINT ? "SIGINT: draining" : "SIGTERM: draining");
    shutdown();
    if (m_on_signal_drain) {
      m_on_signal_drain();
    }
  };
  m_loop.on_signal(SIGTERM, [on_stop] { on_stop(SIGTERM); });
  m_loop.on_signal(SIGINT, [on_stop] { on_stop(SIGINT); });
}

Io::~Io() {
  if (m_in_queue || m_out_queue) {
    log::debug("queue: " + std::to_string(m_stats.takes) + " takes (" + std::to_string(m_stats.empty_takes) +
               " found nothing, " + std::to_string(m_stats.takes_with_acks) + " with acknowledgements), " +
               std::to_string(m_stats.lines_taken) + " lines taken; " + std::to_string(m_stats.handoffs) +
               " handoffs, " + std::to_string(m_stats.lines_handed_off) + " lines handed off, " +
               std::to_string(m_quiet_checkpoint.checkpoints()) + " quiet checkpoints");
  }
  // Leave the terminal or pipe as we found it for whoever shares it after us.
  if (m_stdin_flags >= 0) {
    fcntl(STDIN_FILENO, F_SETFL, m_stdin_flags);
  }
  if (m_stdout_flags >= 0) {
    if (m_writer) {
      m_writer->flush();
    }
    fcntl(STDOUT_FILENO, F_SETFL, m_stdout_flags);
  }
}

void Io::start(LineHandler on_line, std::function<bool()> idle) {
  m_on_line = std::move(on_line);
  m_idle = std::move(idle);
  if (m_reader) {
    m_reading = true;
    m_loop.watch(STDIN_FILENO, event::k_readable, [this](uint32_t) { on_stdin_readable(); });
  } else {
    m_watcher = std::make_unique<queue::ChangeWatcher>(m_in_ep.path, m_in_ep.topic);
    if (m_watcher->fd() >= 0) {
      m_loop.watch(m_watcher->fd(), event::k_readable, [this](uint32_t) {
        m_watcher->drain();
        schedule_take(0);
      });
    }
    schedule_take(0);
  }
}

void Io::on_stdin_readable() {
  for (int round = 0; round < k_reads_per_wakeup && m_reading; ++round) {
    jsonl::FillStatus status = m_reader->fill();
    std::string_view text;
    // A stage that pauses mid-buffer (it holds enough) gets no more lines until it resumes:
    // the rest stay in the reader, and end of input waits until they are handled.
    bool paused = false;
    for (jsonl::ReadEvent event = m_reader->next(text); event != jsonl::ReadEvent::none; event = m_reader->next(text)) {
      if (event == jsonl::ReadEvent::line) {
        handle_raw(text, m_reader->line_number(), Token{});
        if (m_paused_by_stage || m_paused_by_output) {
          paused = true;
          break;
        }
        continue;
      }
      if (!m_in_long) {
        m_rejects.begin_long(m_reader->line_number(), jsonl::k_max_line_bytes);
        m_in_long = true;
      }
      m_rejects.long_part(text);
      if (event == jsonl::ReadEvent::too_long_end) {
        m_rejects.end_long();
        m_in_long = false;
      }
    }
    if (paused && m_reader->has_buffered_line()) {
      break; // resume() comes back for the rest (and for an end of input already seen)
    }
    if (status == jsonl::FillStatus::again) {
      break;
    }
    if (status == jsonl::FillStatus::eof || status == jsonl::FillStatus::error) {
      if (status == jsonl::FillStatus::error) {
        log::error(std::string("cannot read standard input: ") + std::strerror(m_reader->error()));
      }
      m_reading = false;
      m_loop.unwatch(STDIN_FILENO);
      end_input();
      check_done();
      break;
    }
  }
  schedule_commit();
}

void Io::handle_raw(std::string_view text, size_t number, Token token) {
  auto where = [&] {
    return token.entry ? "entry " + queue::format_qid(m_in_ep.topic, token.entry) : "line " + std::to_string(number);
  };
  if (text.find_first_not_of(" \t\r") == std::string_view::npos) {
    if (token.entry) {
      finish(token, {});
    }
    return; // blank lines carry nothing
  }
  auto decoded = jsonl::decode(std::string(text), number);
  if (!decoded.ok()) {
    m_rejects.reject(where(), decoded.error(), text);
    if (token.entry) {
      finish(token, {}); // kept in the reject file; leaving it queued would redeliver it forever
    }
    return;
  }
  m_on_line(std::move(decoded.value()), token);
}

void Io::reject(const jsonl::Line& line, std::string_view reason) {
  m_rejects.reject(line.number(), reason, line.raw());
}

void Io::pass(jsonl::Line&& line, Token token) {
  if (!token.entry && m_writer && !m_output_failed) {
    // Pipe in, pipe out (the hot path of pass-through): straight to the writer, no vector.
    m_writer->write_line(line.raw());
    schedule_commit();
    return;
  }
  std::vector<std::string> lines;
  lines.push_back(line.take_raw()); // moved: an initializer list would copy the line
  finish(token, std::move(lines));
}

void Io::emit(std::string line) {
  std::vector<std::string> lines;
  lines.push_back(std::move(line));
  finish(Token{}, std::move(lines));
}

void Io::finish(Token token, std::vector<std::string> lines) {
  if (token.entry) {
    --m_unfinished;
  }
  if (m_out_ep.is_queue()) {
    for (auto& line : lines) {
      m_pending_out.push_back(std::move(line));
    }
    if (token.entry) {
      m_pending_acks.push_back(token.entry);
    }
  } else if (!m_output_failed) {
    for (const auto& line : lines) {
      m_writer->write_line(line);
    }
    if (token.entry) {
      m_acks_after_flush.push_back(token.entry);
    }
  }
  schedule_commit();
  if (token.entry) {
    take_again_if_capped();
  }
}

void Io::take_again_if_capped() {
  // Only a take that the cap on unfinished lines cut short needs to be made again when lines
  // are finished; otherwise a new line in the topic wakes the input. (Taking again after every
  // finished line made a stage look into the queue once per loop round, for nothing.)
  if (m_in_queue && m_capped && m_unfinished + m_options.take_batch <= m_options.max_unfinished) {
    m_capped = false;
    schedule_take(0);
  }
}

void Io::release(Token token, std::vector<std::string> lines) {
  if (!token.entry) {
    finish(token, std::move(lines));
    return;
  }
  --m_unfinished;
  finish(Token{}, std::move(lines));
  take_again_if_capped();
}

void Io::schedule_commit() {
  if (m_commit_scheduled) {
    return;
  }
  m_commit_scheduled = true;
  m_loop.defer([this] {
    m_commit_scheduled = false;
    commit();
  });
}

void Io::commit() {
  if (m_before_handoff) {
    m_before_handoff();
  }
  if (m_writer && !m_output_failed) {
    m_writer->try_flush();
    if (m_writer->reader_gone() || m_writer->failed()) {
      m_output_failed = true;
      log::warn(m_writer->reader_gone()
                    ? "standard output was closed by its reader; stopping"
                    : std::string("cannot write to standard output: ") + std::strerror(m_writer->error()));
      m_acks_after_flush.clear(); // those lines never arrived: leave them queued
      shutdown();
    } else if (m_writer->buffered() == 0) {
      m_pending_acks.insert(m_pending_acks.end(), m_acks_after_flush.begin(), m_acks_after_flush.end());
      m_acks_after_flush.clear();
    }
    bool backed_up = m_writer->buffered() > 0 && !m_output_failed;
    if (backed_up != m_stdout_watched) {
      m_stdout_watched = backed_up;
      if (backed_up) {
        m_loop.watch(STDOUT_FILENO, event::k_writable, [this](uint32_t) { commit(); });
      } else {
        m_loop.unwatch(STDOUT_FILENO);
      }
    }
    bool over = m_writer->buffered() > m_options.max_output_buffer;
    bool under = m_writer->buffered() <= m_options.max_output_buffer / 2;
    if ((over && !m_paused_by_output) || (under && m_paused_by_output)) {
      m_paused_by_output = over;
      update_read_interest();
    }
  }
  if (!m_pending_out.empty() || !m_pending_acks.empty()) {
    m_quiet_checkpoint.busy();
    ++m_stats.handoffs;
    m_stats.lines_handed_off += m_pending_out.size();
    queue::Queue& in_db = m_in_queue ? *m_in_queue : *m_out_queue;
    if (m_out_ep.is_queue() && !m_out_queue) {
      // Output and input share a database: outputs and acks commit together, or not at all.
      auto tx = in_db.begin().take_or_throw();
      in_db.insert(m_out_ep.topic, m_pending_out).throw_if_failed();
      in_db.remove_batch(m_in_ep.topic, m_pending_acks).take_or_throw();
      tx.commit().throw_if_failed();
      m_pending_acks.clear();
      if (!m_pending_out.empty()) {
        in_db.wake(m_out_ep.topic);
      }
    } else {
      if (!m_pending_out.empty()) {
        m_out_queue->put(m_out_ep.topic, m_pending_out).throw_if_failed();
      }
      // Outputs are durable first, so a crash before the acknowledgement redelivers
      // (at-least-once), never loses. A take due in this loop round carries these
      // acknowledgements, whose outputs are now durable, in its own transaction
      // (take_from_queue): one write transaction per round of lines instead of two. Only
      // these: a line finished later has its output still pending.
      m_acks_for_take.insert(m_acks_for_take.end(), m_pending_acks.begin(), m_pending_acks.end());
      m_pending_acks.clear();
      if (!m_take_scheduled) {
        ack_for_take();
      }
    }
    m_pending_out.clear();
  }
  stop_loop_if_done();
}

void Io::ack_for_take() {
  if (!m_acks_for_take.empty()) {
    m_in_queue->ack(m_in_ep.topic, m_acks_for_take).take_or_throw();
    m_acks_for_take.clear();
  }
}

void Io::pause() {
  m_paused_by_stage = true;
  update_read_interest();
}

void Io::resume() {
  m_paused_by_stage = false;
  update_read_interest();
}

void Io::update_read_interest() {
  bool want = !m_input_over && !m_paused_by_stage && !m_paused_by_output;
  if (m_reader) {
    if (want != m_reading && !m_input_over) {
      m_reading = want;
      m_loop.modify(STDIN_FILENO, want ? uint32_t{event::k_readable} : uint32_t{0});
      if (want && (m_reader->has_buffered_line() || m_reader->at_eof())) {
        m_loop.defer([this] { on_stdin_readable(); });
      }
    }
  } else if (want) {
    schedule_take(0);
  }
}

void Io::schedule_take(int delay_ms) {
  if (delay_ms == 0) {
    if (m_take_scheduled) {
      return;
    }
    m_take_scheduled = true;
    if (m_take_timer) {
      m_loop.cancel(m_take_timer);
      m_take_timer = 0;
    }
    m_loop.defer([this] {
      m_take_scheduled = false;
      take_from_queue();
    });
    return;
  }
  if (m_take_timer || m_take_scheduled) {
    return;
  }
  m_take_timer = m_loop.after(Millis(delay_ms), [this] {
    m_take_timer = 0;
    take_from_queue();
  });
}

void Io::take_from_queue() {
  bool want = !m_input_over && !m_paused_by_stage && !m_paused_by_output;
  if (want && m_unfinished + m_options.take_batch > m_options.max_unfinished) {
    m_capped = true;
    want = m_unfinished < m_options.max_unfinished;
  }
  if (!want) {
    if (!m_acks_for_take.empty()) {
      ack_for_take(); // left for this take by commit()
      check_done();
    }
    return;
  }
  queue::TakeOptions take;
  take.max = static_cast<int64_t>(std::min(m_options.take_batch, m_options.max_unfinished - m_unfinished));
  take.lease_ms = m_options.lease_ms;
  take.max_tries = m_options.max_tries;
  std::vector<queue::Entry> entries;
  if (m_acks_for_take.empty()) {
    entries = m_in_queue->take(m_in_ep.topic, take).take_or_throw();
  } else {
    auto tx = m_in_queue->begin().take_or_throw();
    m_in_queue->remove_batch(m_in_ep.topic, m_acks_for_take).take_or_throw();
    entries = m_in_queue->take(m_in_ep.topic, take).take_or_throw();
    tx.commit().throw_if_failed();
    m_acks_for_take.clear();
    ++m_stats.takes_with_acks;
  }
  ++m_stats.takes;
  m_stats.empty_takes += entries.empty() ? 1 : 0;
  m_stats.lines_taken += entries.size();
  if (!entries.empty()) {
    m_quiet_checkpoint.busy();
  }
  m_unfinished += entries.size();
  for (const auto& entry : entries) {
    handle_raw(entry.line, static_cast<size_t>(entry.id), Token{entry.id});
  }
  if (static_cast<int64_t>(entries.size()) == take.max) {
    schedule_take(0); // there may be more right now
  } else {
    schedule_take(k_queue_tick_ms);
  }
}

void Io::shutdown() {
  if (m_stopped) {
    return;
  }
  m_stopped = true;
  if (m_reader && m_reading) {
    m_loop.unwatch(STDIN_FILENO);
  }
  m_reading = false;
  if (m_take_timer) {
    m_loop.cancel(m_take_timer);
    m_take_timer = 0;
  }
  if (m_watcher && m_watcher->fd() >= 0) {
    m_loop.unwatch(m_watcher->fd());
  }
  end_input();
  check_done();
}

void Io::end_input() {
  if (m_input_over) {
    return;
  }
  m_input_over = true;
  if (m_on_input_over) {
    m_on_input_over();
  }
}

void Io::check_done() {
  m_loop.defer([this] { stop_loop_if_done(); });
}

void Io::stop_loop_if_done() {
  if (!m_input_over) {
    return;
  }
  if (m_idle && !m_idle()) {
    return;
  }
  if (!m_pending_out.empty() || !m_pending_acks.empty() || !m_acks_for_take.empty() || m_commit_scheduled) {
    return;
  }
  if (m_writer && !m_output_failed && m_writer->buffered() > 0) {
    return; // wait for the reader; on_stdout_writable brings us back
  }
  m_loop.stop();
}

int Io::exit_code() const {
  if (m_output_failed) {
    return exit_code::k_ioerr;
  }
  if (m_stop_signal == SIGINT) {
    return exit_code::k_sigint;
  }
  return exit_code::k_ok;
}

} // namespace m2g::stage
