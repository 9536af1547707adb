#include "common/poll/sink.hpp"

#include "common/core/exit_codes.hpp"
#include "common/core/log.hpp"
#include "common/stage/endpoint.hpp"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>

namespace m2g::poll {
namespace {

namespace fs = std::filesystem;

bool same_file(const std::string& a, const std::string& b) {
  std::error_code ec1, ec2;
  auto ca = fs::weakly_canonical(a, ec1);
  auto cb = fs::weakly_canonical(b, ec2);
  return !ec1 && !ec2 ? ca == cb : a == b;
}

sqlite::OpenOptions open_options(sqlite::Sync sync) {
  sqlite::OpenOptions options;
  options.sync = sync;
  return options;
}

class QueueSink final : public Sink {
public:
  QueueSink(const stage::Endpoint& endpoint, const SinkOptions& options, Clock& clock) : m_topic(endpoint.topic) {
    auto queue = queue::Queue::open(endpoint.path, open_options(options.sync), clock);
    if (!queue.ok()) {
      throw Error(exit_code::k_cantcreat, "cannot open queue '" + endpoint.path + "': " + queue.error());
    }
    m_queue.emplace(std::move(queue.value()));
    auto state = StateStore::open(m_queue->db(), options.bot_id, clock);
    if (!state.ok()) {
      throw Error(exit_code::k_cantcreat,
                  "cannot set up the offset table in '" + endpoint.path + "': " + state.error());
    }
    m_state.emplace(std::move(state.value()));
    m_description = "queue '" + endpoint.path + "' topic '" + endpoint.topic + "'";
  }

  Result<size_t> handoff(const std::vector<Item>& items, std::optional<int64_t> next_offset) override {
    auto tx = m_queue->begin();
    if (!tx.ok()) {
      return tx.failure();
    }
    std::vector<std::string> fresh_lines;
    for (const auto& item : items) {
      auto fresh = m_state->mark_seen(item.update_id);
      if (!fresh.ok()) {
        return fresh.failure();
      }
      if (*fresh) {
        fresh_lines.push_back(item.line);
      }
    }
    M2G_TRY(m_queue->insert(m_topic, fresh_lines));
    size_t written = fresh_lines.size();
    if (next_offset) {
      M2G_TRY(m_state->set_offset(*next_offset));
    }
    M2G_TRY(tx->commit());
    if (written > 0) {
      m_queue->wake(m_topic); // the topic's readers sleep until a writer wakes them
    }
    return written;
  }

  Result<int64_t> offset() override { return m_state->offset(); }
  Result<int64_t> prune() override { return m_state->prune(); }
  std::string describe() const override { return m_description; }

private:
  std::string m_topic;
  std::string m_description;
  std::optional<queue::Queue> m_queue; // never moved: the state store points into it
  std::optional<StateStore> m_state;
};

class PipeSink final : public Sink {
public:
  PipeSink(const SinkOptions& options, Clock& clock) : m_writer(options.out_fd) {
    std::string path = options.state_path.empty() ? default_state_path() : options.state_path;
    auto parent = fs::path(path).parent_path();
    std::error_code ec;
    if (!parent.empty()) {
      fs::create_directories(parent, ec);
    }
    auto db = sqlite::Db::open(path, open_options(options.sync));
    if (!db.ok()) {
      throw Error(exit_code::k_cantcreat, "cannot open state database '" + path + "': " + db.error());
    }
    m_db.emplace(std::move(db.value()));
    auto state = StateStore::open(*m_db, options.bot_id, clock);
    if (!state.ok()) {
      throw Error(exit_code::k_cantcreat, "cannot set up state database '" + path + "': " + state.error());
    }
    m_state.emplace(std::move(state.value()));
  }

  Result<size_t> handoff(const std::vector<Item>& items, std::optional<int64_t> next_offset) override {
    auto tx = sqlite::Transaction::begin(*m_db);
    if (!tx.ok()) {
      return tx.failure();
    }
    size_t written = 0;
    for (const auto& item : items) {
      auto fresh = m_state->mark_seen(item.update_id);
      if (!fresh.ok()) {
        return fresh.failure();
      }
      if (*fresh) {
        m_writer.write_line(item.line);
        ++written;
      }
    }
    // The lines reach the pipe before the offset moves: a crash in between repeats them.
    if (written > 0 && !m_writer.flush()) {
      if (m_writer.reader_gone()) {
        return fail(exit_code::k_ioerr, "standard output was closed by its reader");
      }
      return fail(exit_code::k_ioerr,
                  std::string("cannot write to standard output: ") + std::strerror(m_writer.error()));
    }
    if (next_offset) {
      M2G_TRY(m_state->set_offset(*next_offset));
    }
    M2G_TRY(tx->commit());
    return written;
  }

  Result<int64_t> offset() override { return m_state->offset(); }
  Result<int64_t> prune() override { return m_state->prune(); }
  std::string describe() const override { return "standard output"; }

private:
  jsonl::LineWriter m_writer;
  std::optional<sqlite::Db> m_db; // never moved: the state store points into it
  std::optional<StateStore> m_state;
};

} // namespace

std::string default_state_path() {
  if (const char* dir = std::getenv("M2G_DATA_DIR"); dir && *dir) {
    return (fs::path(dir) / "poll.db").string();
  }
  return "poll-state.db";
}

std::unique_ptr<Sink> open_sink(const SinkOptions& options, Clock& clock) {
  auto endpoint = stage::parse_endpoint(options.out);
  if (!endpoint.ok()) {
    throw Error(exit_code::k_usage, "--out: " + endpoint.error());
  }
  if (endpoint->is_queue()) {
    if (options.state_given && !options.state_path.empty() && !same_file(options.state_path, endpoint->path)) {
      log::warn("--state '" + options.state_path + "' is not used: with a queue as output the offset is kept in '" +
                endpoint->path + "', in the same transaction as the lines");
    }
    return std::make_unique<QueueSink>(*endpoint, options, clock);
  }
  return std::make_unique<PipeSink>(options, clock);
}

} // namespace m2g::poll
