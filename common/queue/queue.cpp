#include "common/queue/queue.hpp"

#include "common/core/exit_codes.hpp"

#include <algorithm>
#include <charconv>

namespace m2g::queue {
namespace {

// state: 0 = live (ready when lease_until <= now, leased otherwise), 1 = dead.
constexpr const char* k_schema = R"sql(
CREATE TABLE IF NOT EXISTS m2g_queue (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  topic       TEXT    NOT NULL,
  line        TEXT    NOT NULL,
  state       INTEGER NOT NULL DEFAULT 0,
  tries       INTEGER NOT NULL DEFAULT 0,
  lease_until INTEGER NOT NULL DEFAULT 0,
  created_ms  INTEGER NOT NULL
);
-- Fresh lines have lease_until = 0, so "next ready" is an index range scan that never walks
-- over leased rows (which would make taking a long queue quadratic).
CREATE INDEX IF NOT EXISTS m2g_queue_ready ON m2g_queue(topic, state, lease_until, id);
)sql";

} // namespace

std::string format_qid(std::string_view topic, int64_t id) {
  std::string out(topic);
  out += ':';
  out += std::to_string(id);
  return out;
}

std::optional<std::pair<std::string, int64_t>> parse_qid(std::string_view qid) {
  auto colon = qid.rfind(':');
  if (colon == std::string_view::npos || colon == 0) {
    return std::nullopt;
  }
  int64_t id = 0;
  auto digits = qid.substr(colon + 1);
  auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), id);
  if (ec != std::errc() || ptr != digits.data() + digits.size() || id <= 0) {
    return std::nullopt;
  }
  return std::make_pair(std::string(qid.substr(0, colon)), id);
}

Result<Queue> Queue::open(const std::string& path, const sqlite::OpenOptions& options, Clock& clock) {
  auto db = sqlite::Db::open(path, options);
  if (!db.ok()) {
    return db.failure();
  }
  Queue queue(std::move(db.value()), clock);
  if (!options.read_only) {
    // Creating the schema takes the write lock; concurrent first opens just wait for it.
    auto tx = sqlite::Transaction::begin(queue.m_db);
    if (!tx.ok()) {
      return tx.failure();
    }
    M2G_TRY(queue.m_db.exec(k_schema));
    M2G_TRY(tx->commit());
  }
  M2G_TRY(queue.prepare_all());
  return queue;
}

Result<void> Queue::prepare_all() {
  auto prep = [&](std::optional<sqlite::Statement>& slot, std::string_view sql) -> Result<void> {
    auto stmt = m_db.prepare(sql);
    if (!stmt.ok()) {
      return stmt.failure();
    }
    slot.emplace(std::move(stmt.value()));
    return {};
  };
  M2G_TRY(prep(m_insert, "INSERT INTO m2g_queue(topic, line, created_ms) VALUES(?1, ?2, ?3)"));
  M2G_TRY(prep(m_select_ready, "SELECT id, line, tries FROM m2g_queue WHERE topic = ?1 AND state = 0 "
                               "AND lease_until = 0 AND id > ?4 ORDER BY id LIMIT ?3"));
  M2G_TRY(prep(m_select_expired,
               "SELECT id, line, tries FROM m2g_queue WHERE topic = ?1 AND state = 0 "
               "AND lease_until > 0 AND lease_until <= ?2 AND id > ?4 ORDER BY lease_until LIMIT ?3"));
  M2G_TRY(prep(m_lease, "UPDATE m2g_queue SET lease_until = ?2, tries = tries + 1 WHERE id = ?1"));
  M2G_TRY(prep(m_kill, "UPDATE m2g_queue SET state = 1, lease_until = 0 WHERE id = ?1"));
  M2G_TRY(prep(m_delete, "DELETE FROM m2g_queue WHERE id = ?1 AND topic = ?2"));
  M2G_TRY(prep(m_release, "UPDATE m2g_queue SET lease_until = 0 WHERE id = ?1 AND topic = ?2 AND state = 0"));
  return {};
}

Result<void> Queue::select_into(sqlite::Statement& stmt, std::string_view topic, int64_t now, int64_t max,
                                int64_t after_id, std::vector<Entry>& out) {
  stmt.bind(1, topic).bind(2, now).bind(3, max).bind(4, after_id);
  while (true) {
    auto row = stmt.step();
    if (!row.ok()) {
      stmt.reset();
      return row.failure();
    }
    if (!*row) {
      break;
    }
    out.push_back(Entry{stmt.column_int64(0), std::string(stmt.column_text(1)), stmt.column_int64(2)});
  }
  stmt.reset();
  return {};
}

Result<sqlite::Transaction> Queue::begin() {
  return sqlite::Transaction::begin(m_db);
}

Result<void> Queue::insert(std::string_view topic, std::string_view line) {
  m_insert->bind(1, topic).bind(2, line).bind(3, m_clock->unix_ms());
  return m_insert->run();
}

Result<void> Queue::remove(std::string_view topic, int64_t id) {
  m_delete->bind(1, id).bind(2, topic);
  return m_delete->run();
}

Result<void> Queue::put(std::string_view topic, const std::vector<std::string>& lines) {
  auto tx = begin();
  if (!tx.ok()) {
    return tx.failure();
  }
  for (const auto& line : lines) {
    M2G_TRY(insert(topic, line));
  }
  return tx->commit();
}

Result<std::vector<Entry>> Queue::take(std::string_view topic, const TakeOptions& options) {
  auto tx = begin();
  if (!tx.ok()) {
    return tx.failure();
  }
  int64_t now = m_clock->unix_ms();
  std::vector<Entry> taken;
  std::vector<int64_t> dead;
  // Entries that exhaust their tries are skipped; keep selecting until `max` live ones are found.
  while (static_cast<int64_t>(taken.size()) < options.max) {
    int64_t want = options.max - static_cast<int64_t>(taken.size());
    std::vector<Entry> batch;
    M2G_TRY(select_into(*m_select_ready, topic, now, want, options.after_id, batch));
    M2G_TRY(select_into(*m_select_expired, topic, now, want, options.after_id, batch));
    // Fresh and expired lines together, oldest first, as if they were one ordered list.
    std::sort(batch.begin(), batch.end(), [](const Entry& a, const Entry& b) { return a.id < b.id; });
    if (static_cast<int64_t>(batch.size()) > want) {
      batch.resize(static_cast<size_t>(want));
    }
    if (batch.empty()) {
      break;
    }
    for (auto& entry : batch) {
      if (options.max_tries > 0 && entry.tries >= options.max_tries) {
        m_kill->bind(1, entry.id);
        M2G_TRY(m_kill->run());
        dead.push_back(entry.id);
        continue;
      }
      m_lease->bind(1, entry.id).bind(2, now + options.lease_ms);
      M2G_TRY(m_lease->run());
      entry.tries += 1;
      taken.push_back(std::move(entry));
    }
  }
  M2G_TRY(tx->commit());
  return taken;
}

Result<int64_t> Queue::ack(std::string_view topic, const std::vector<int64_t>& ids) {
  auto tx = begin();
  if (!tx.ok()) {
    return tx.failure();
  }
  int64_t removed = 0;
  for (int64_t id : ids) {
    M2G_TRY(remove(topic, id));
    removed += m_db.changes();
  }
  M2G_TRY(tx->commit());
  return removed;
}

Result<int64_t> Queue::nack(std::string_view topic, const std::vector<int64_t>& ids) {
  auto tx = begin();
  if (!tx.ok()) {
    return tx.failure();
  }
  int64_t released = 0;
  for (int64_t id : ids) {
    m_release->bind(1, id).bind(2, topic);
    M2G_TRY(m_release->run());
    released += m_db.changes();
  }
  M2G_TRY(tx->commit());
  return released;
}

Result<int64_t> Queue::revive(std::string_view topic) {
  auto stmt = m_db.prepare("UPDATE m2g_queue SET state = 0, tries = 0, lease_until = 0 WHERE topic = ?1 AND state = 1");
  if (!stmt.ok()) {
    return stmt.failure();
  }
  stmt->bind(1, topic);
  M2G_TRY(stmt->run());
  return m_db.changes();
}

Result<std::vector<Entry>> Queue::dead(std::string_view topic, int64_t max) {
  auto stmt = m_db.prepare("SELECT id, line, tries FROM m2g_queue WHERE topic = ?1 AND state = 1 ORDER BY id LIMIT ?2");
  if (!stmt.ok()) {
    return stmt.failure();
  }
  stmt->bind(1, topic).bind(2, max);
  std::vector<Entry> out;
  while (true) {
    auto row = stmt->step();
    if (!row.ok()) {
      return row.failure();
    }
    if (!*row) {
      break;
    }
    out.push_back(Entry{stmt->column_int64(0), std::string(stmt->column_text(1)), stmt->column_int64(2)});
  }
  return out;
}

Result<std::vector<TopicStat>> Queue::stat() {
  auto stmt = m_db.prepare("SELECT topic,"
                           " SUM(state = 0 AND lease_until <= ?1),"
                           " SUM(state = 0 AND lease_until > ?1),"
                           " SUM(state = 1),"
                           " MIN(CASE WHEN state = 0 AND lease_until <= ?1 THEN created_ms END)"
                           " FROM m2g_queue GROUP BY topic ORDER BY topic");
  if (!stmt.ok()) {
    return stmt.failure();
  }
  int64_t now = m_clock->unix_ms();
  stmt->bind(1, now);
  std::vector<TopicStat> out;
  while (true) {
    auto row = stmt->step();
    if (!row.ok()) {
      return row.failure();
    }
    if (!*row) {
      break;
    }
    TopicStat s;
    s.topic = std::string(stmt->column_text(0));
    s.ready = stmt->column_int64(1);
    s.leased = stmt->column_int64(2);
    s.dead = stmt->column_int64(3);
    s.oldest_ready_age_ms = stmt->column_is_null(4) ? 0 : std::max<int64_t>(0, now - stmt->column_int64(4));
    out.push_back(std::move(s));
  }
  return out;
}

} // namespace m2g::queue
