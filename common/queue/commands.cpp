#include "common/queue/commands.hpp"

#include "common/core/exit_codes.hpp"
#include "common/core/log.hpp"
#include "common/core/signals.hpp"
#include "common/jsonl/batch_reader.hpp"
#include "common/jsonl/line.hpp"
#include "common/jsonl/scan.hpp"
#include "common/jsonl/writer.hpp"
#include "common/queue/queue.hpp"
#include "common/queue/watch.hpp"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <malloc.h>
#include <sys/stat.h>

namespace m2g::queue {
namespace {

// A blocked pipe reader is worth at most this long a wait between wake-ups of --follow.
constexpr int k_follow_tick_ms = 1000;
// Lines per take transaction. A take writes one lease row however many lines it hands out,
// so a large batch costs little more than a small one and saves commits (each an fsync).
constexpr int64_t k_take_batch = 4096;
// A commit (an fsync) takes milliseconds; the default 64 KiB pipe holds about 300 of our lines,
// so the process at the other end would stall during each one, and each ack batch would be
// small. 1 MiB is Linux's default limit for an unprivileged process.
constexpr int k_pipe_bytes = 1 << 20;

/// SQLite frees its large scratch buffers (b-tree rebalancing) after each use; glibc then
/// hands the top of the heap back to the kernel and faults it in again on the next
/// allocation, hundreds of times in an ack of a busy pipe. Keep up to 32 MiB of it instead.
void keep_heap() {
  mallopt(M_TRIM_THRESHOLD, 32 << 20);
}

/// Enlarge the pipe behind `fd`, if it is one; failure is harmless (it stays as it was).
void grow_pipe(int fd) {
  struct stat st {};
  if (fstat(fd, &st) == 0 && S_ISFIFO(st.st_mode) && fcntl(fd, F_GETPIPE_SZ) < k_pipe_bytes) {
    (void)fcntl(fd, F_SETPIPE_SZ, k_pipe_bytes);
  }
}

Queue open_queue(const CommonOptions& options) {
  keep_heap();
  sqlite::OpenOptions open;
  open.sync = options.sync;
  return Queue::open(options.db, open).take_or_throw();
}

/// Marks taken lines with their qid: jsonl::with_string_field's fast path, with the topic's
/// JSON text built once rather than once per line.
class QidMarker {
public:
  explicit QidMarker(std::string_view topic) : m_topic(topic) {
    std::string quoted = jsonl::dump(jsonl::json(m_topic + ":"));
    m_field = "\"qid\":" + quoted.substr(0, quoted.size() - 1); // "qid":"<topic>:
  }

  std::string_view mark(const std::string& line, int64_t id) {
    auto brace = line.find('{');
    if (brace == std::string::npos || line.find("\"qid\"") != std::string::npos) {
      m_out = jsonl::with_string_field(line, "qid", format_qid(m_topic, id)); // let the parser decide
      return m_out;
    }
    bool empty_object = line.find_first_not_of(" \t\r\n", brace + 1) == line.find('}', brace + 1);
    m_out.assign(line, 0, brace + 1);
    m_out += m_field;
    m_out += std::to_string(id);
    m_out += empty_object ? "\"" : "\",";
    m_out.append(line, brace + 1, std::string::npos);
    return m_out;
  }

private:
  std::string m_topic, m_field, m_out;
};

int finish_reading(bool ok, const jsonl::RejectSink& rejects) {
  if (!ok) {
    throw Error(exit_code::k_ioerr, std::string("cannot read standard input: ") + std::strerror(errno));
  }
  if (signals::stop_requested()) {
    return signals::stop_exit_code();
  }
  return rejects.count() > 0 ? exit_code::k_rejected : exit_code::k_ok;
}

} // namespace

int run_put(const PutCommand& options, int in_fd) {
  Queue queue = open_queue(options);
  grow_pipe(in_fd);
  jsonl::RejectSink rejects(options.reject_path);
  std::vector<std::string> batch;
  bool ok = jsonl::read_batches(
      in_fd, rejects, {},
      [&](std::string_view text, size_t number) {
        auto valid = jsonl::validate_object(text);
        if (!valid.ok()) {
          rejects.reject(number, valid.error(), text);
          return;
        }
        batch.emplace_back(text);
      },
      [&] {
        queue.put(options.topic, batch).throw_if_failed();
        batch.clear();
      });
  return finish_reading(ok, rejects);
}

int run_take(const TakeCommand& options, int out_fd) {
  signals::install_stop_handlers();
  Queue queue = open_queue(options);
  grow_pipe(out_fd);
  jsonl::LineWriter out(out_fd);
  int64_t printed = 0;
  auto room = [&] { return options.max > 0 ? options.max - printed : k_take_batch; };

  if (options.dead) {
    auto entries = queue.dead(options.topic, options.max > 0 ? options.max : INT64_MAX).take_or_throw();
    for (const auto& entry : entries) {
      out.write_line(jsonl::with_string_field(entry.line, "qid", format_qid(options.topic, entry.id)));
    }
    out.flush();
    return exit_code::k_ok;
  }

  std::optional<ChangeWatcher> watcher;
  if (options.follow) {
    watcher.emplace(options.db, options.topic);
  }
  TakeOptions take;
  take.lease_ms = options.lease_seconds * 1000;
  take.max_tries = options.max_tries;
  QidMarker marker(options.topic);
  while (!signals::stop_requested() && room() > 0) {
    take.max = std::min(room(), k_take_batch);
    auto entries = queue.take(options.topic, take).take_or_throw();
    for (const auto& entry : entries) {
      out.write_line(marker.mark(entry.line, entry.id));
      take.after_id = std::max(take.after_id, entry.id);
    }
    printed += static_cast<int64_t>(entries.size());
    if (!out.flush()) {
      if (out.reader_gone()) {
        return exit_code::k_ok; // the reader left; leases expire and the lines come back
      }
      throw Error(exit_code::k_ioerr, std::string("cannot write to standard output: ") + std::strerror(out.error()));
    }
    if (!entries.empty()) {
      continue;
    }
    if (!options.follow) {
      break;
    }
    // A follower that caught up starts over: lines whose lease expired since are due again.
    take.after_id = 0;
    watcher->wait(k_follow_tick_ms);
  }
  return signals::stop_requested() ? signals::stop_exit_code() : exit_code::k_ok;
}

int run_ack(const AckCommand& options, int in_fd, int out_fd) {
  Queue queue = open_queue(options);
  grow_pipe(in_fd);
  jsonl::RejectSink rejects(options.reject_path);
  jsonl::LineWriter out(out_fd);
  std::vector<int64_t> to_ack, to_nack;
  std::vector<std::string> echo;
  int64_t acked = 0, released = 0, ignored = 0;

  auto classify = [&](std::string_view text, size_t number) {
    if (options.pass_through) {
      echo.emplace_back(text);
    }
    jsonl::ScanInfo info;
    size_t offset = 0;
    if (const char* what = jsonl::scan(text, info, offset)) {
      rejects.reject(number, std::string("malformed JSON: ") + what + " at byte " + std::to_string(offset + 1), text);
      return;
    }
    // qid and kind are plain ASCII when m2g wrote them; an escaped one is decoded properly.
    std::string qid_text(info.qid), kind(info.kind);
    if (info.qid_escaped || info.kind_escaped) {
      auto value = jsonl::json::parse(text);
      qid_text = value.value("qid", "");
      kind = value.value("kind", "");
    }
    auto qid = parse_qid(qid_text);
    if (!info.is_object || !qid || qid->first != options.topic) {
      ++ignored;
      return;
    }
    if (options.nack) {
      to_nack.push_back(qid->second);
    } else if (options.all || kind == "result" || kind == "rejection") {
      to_ack.push_back(qid->second);
    } else if (kind == "error") {
      to_nack.push_back(qid->second); // failed: let it be taken again, until it goes dead
    } else {
      ++ignored; // progress events and the like say nothing about the entry's fate
    }
  };
  auto commit = [&] {
    if (!to_ack.empty()) {
      acked += queue.ack(options.topic, to_ack).take_or_throw();
      to_ack.clear();
    }
    if (!to_nack.empty()) {
      released += queue.nack(options.topic, to_nack).take_or_throw();
      to_nack.clear();
    }
    for (const auto& line : echo) {
      out.write_line(line);
    }
    echo.clear();
    out.end_of_batch();
  };
  bool ok = jsonl::read_batches(in_fd, rejects, {}, classify, commit);
  out.flush();
  log::debug("acked " + std::to_string(acked) + ", released " + std::to_string(released) + ", ignored " +
             std::to_string(ignored));
  return finish_reading(ok, rejects);
}

int run_stat(const StatCommand& options, int out_fd) {
  sqlite::OpenOptions open;
  open.sync = options.sync;
  Queue queue = Queue::open(options.db, open).take_or_throw();
  auto topics = queue.stat().take_or_throw();
  jsonl::LineWriter out(out_fd);
  if (options.json) {
    for (const auto& t : topics) {
      jsonl::json row = {{"topic", t.topic},
                         {"ready", t.ready},
                         {"leased", t.leased},
                         {"dead", t.dead},
                         {"oldest_ready_age_s", static_cast<double>(t.oldest_ready_age_ms) / 1000.0}};
      out.write_line(jsonl::dump(row));
    }
  } else {
    char buf[256];
    std::snprintf(buf, sizeof buf, "%-20s %10s %10s %10s %12s", "TOPIC", "READY", "LEASED", "DEAD", "OLDEST");
    out.write_line(buf);
    for (const auto& t : topics) {
      std::snprintf(buf, sizeof buf, "%-20s %10lld %10lld %10lld %11.1fs", t.topic.c_str(),
                    static_cast<long long>(t.ready), static_cast<long long>(t.leased), static_cast<long long>(t.dead),
                    static_cast<double>(t.oldest_ready_age_ms) / 1000.0);
      out.write_line(buf);
    }
  }
  out.flush();
  return exit_code::k_ok;
}

int run_revive(const CommonOptions& options, int out_fd) {
  Queue queue = open_queue(options);
  int64_t n = queue.revive(options.topic).take_or_throw();
  jsonl::LineWriter out(out_fd);
  out.write_line(std::to_string(n));
  out.flush();
  return exit_code::k_ok;
}

} // namespace m2g::queue
