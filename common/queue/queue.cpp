#include "common/queue/queue.hpp"

#include "common/core/exit_codes.hpp"

#include <algorithm>
#include <charconv>

namespace m2g::queue {
namespace {

// state: 0 = live, 1 = dead. A live entry with lease_until > 0 carries its own lease (ready
// once lease_until <= now; 1 means "ready now": released or revived). A live entry with
// lease_until = 0 was never taken, or was taken as part of a span of m2g_queue_lease: see
// take.cpp for that invariant.
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
-- One row per take of fresh lines: they are leased until lease_until as a span of ids.
CREATE TABLE IF NOT EXISTS m2g_queue_lease (
  topic       TEXT    NOT NULL,
  last_id     INTEGER NOT NULL,
  first_id    INTEGER NOT NULL,
  lease_until INTEGER NOT NULL,
  PRIMARY KEY (topic, last_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS m2g_queue_lease_due ON m2g_queue_lease(topic, lease_until);
)sql";

// A new queue file gets 16 KiB pages: lines are written, leased and deleted in id order, so
// a commit touches runs of neighbouring rows, and bigger pages mean a quarter of the page
// reads, WAL frames and b-tree steps of the 4 KiB default. (An existing file keeps its size.)
constexpr int k_page_size = 16384;

// A queue connection's page cache, in KiB (16 pages), unless the caller asks for another size.
// A queue file is shared by every stage, and in WAL mode SQLite empties a connection's whole
// cache when its next read transaction finds that another connection has written since: pages
// kept beyond one transaction's needs are mostly thrown away unread. SQLite's 2 MB default
// was up to 2 MB of heap in each of the six stages (m2g-route and m2g-limit peaked 0.7–2 MB
// lower with this; tests/bench/queue.sh ran as fast).
constexpr int k_cache_kib = 256;

// Lines per INSERT statement in put(): fewer statement runs (and AUTOINCREMENT bookkeeping,
// which SQLite does once per statement) than one INSERT per line.
constexpr size_t k_insert_rows = 32;

std::string insert_many_sql() {
  std::string sql = "INSERT INTO m2g_queue(topic, created_ms, line) VALUES";
  for (size_t i = 0; i < k_insert_rows; ++i) {
    sql += i == 0 ? "" : ",";
    sql += "(?1, ?2, ?" + std::to_string(i + 3) + ")";
  }
  return sql;
}

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
  sqlite::OpenOptions with_pages = options;
  if (with_pages.page_size == 0) {
    with_pages.page_size = k_page_size;
  }
  if (with_pages.cache_kib == 0) {
    with_pages.cache_kib = k_cache_kib;
  }
  auto db = sqlite::Db::open(path, with_pages);
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
  M2G_TRY(prep(m_insert_many, insert_many_sql()));
  M2G_TRY(prep(m_select_fresh, "SELECT id, line, tries FROM m2g_queue WHERE topic = ?1 AND state = 0 "
                               "AND lease_until = 0 AND id > ?4 ORDER BY id LIMIT ?3"));
  M2G_TRY(prep(m_select_expired,
               "SELECT id, line, tries FROM m2g_queue WHERE topic = ?1 AND state = 0 "
               "AND lease_until > 0 AND lease_until <= ?2 AND id > ?4 ORDER BY lease_until LIMIT ?3"));
  M2G_TRY(prep(m_lease, "UPDATE m2g_queue SET lease_until = ?2, tries = tries + 1 WHERE id = ?1"));
  M2G_TRY(prep(m_kill, "UPDATE m2g_queue SET state = 1, lease_until = 0 WHERE id = ?1"));
  M2G_TRY(prep(m_delete, "DELETE FROM m2g_queue WHERE id = ?1 AND topic = ?2"));
  // "+topic": look rows up by id range, not through the topic index (which would scan the topic).
  M2G_TRY(prep(m_delete_span, "DELETE FROM m2g_queue WHERE id BETWEEN ?2 AND ?3 AND +topic = ?1"));
  // A line leased as part of a span (lease_until = 0, id at or below the topic's cursor ?3) has
  // not had this take counted yet; one that was never taken is left alone.
  M2G_TRY(prep(m_release, "UPDATE m2g_queue SET lease_until = 1, tries = tries + (lease_until = 0) "
                          "WHERE id = ?1 AND topic = ?2 AND state = 0 AND (lease_until > 0 OR id <= ?3)"));
  M2G_TRY(prep(m_last_span, "SELECT last_id FROM m2g_queue_lease WHERE topic = ?1 ORDER BY last_id DESC LIMIT 1"));
  M2G_TRY(prep(m_due_spans, "SELECT first_id, last_id, lease_until FROM m2g_queue_lease "
                            "WHERE topic = ?1 AND lease_until <= ?2 ORDER BY lease_until"));
  M2G_TRY(prep(m_expire_span, "UPDATE m2g_queue SET lease_until = ?4, tries = tries + 1 "
                              "WHERE topic = ?1 AND state = 0 AND lease_until = 0 AND id BETWEEN ?2 AND ?3"));
  M2G_TRY(prep(m_drop_span, "DELETE FROM m2g_queue_lease WHERE topic = ?1 AND last_id = ?2"));
  M2G_TRY(
      prep(m_add_span, "INSERT INTO m2g_queue_lease(topic, first_id, last_id, lease_until) VALUES(?1, ?2, ?3, ?4)"));
  M2G_TRY(prep(m_spans_from, "SELECT first_id, last_id FROM m2g_queue_lease "
                             "WHERE topic = ?1 AND last_id >= ?2 ORDER BY last_id"));
  // Whether a take would find anything: fresh lines above the cursor (and after_id ?3), expired
  // leases, expired spans. Read-only, so it needs no write lock (see Queue::take).
  M2G_TRY(
      prep(m_any_ready,
           "SELECT 1 WHERE EXISTS(SELECT 1 FROM m2g_queue WHERE topic = ?1 AND state = 0 AND lease_until = 0 AND id > "
           "max(?3, coalesce((SELECT last_id FROM m2g_queue_lease WHERE topic = ?1 ORDER BY last_id DESC "
           "LIMIT 1), 0))) OR EXISTS(SELECT 1 FROM m2g_queue WHERE topic = ?1 AND state = 0 AND lease_until > 0 "
           "AND lease_until <= ?2 AND id > ?3) OR EXISTS(SELECT 1 FROM m2g_queue_lease WHERE topic = ?1 AND "
           "lease_until <= ?2)"));
  M2G_TRY(prep(m_any_fresh, "SELECT 1 FROM m2g_queue WHERE topic = ?1 AND state = 0 AND lease_until = 0 "
                            "AND id BETWEEN ?2 AND ?3 LIMIT 1"));
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

Result<int64_t> Queue::remove_batch(std::string_view topic, std::vector<int64_t> ids) {
  if (ids.empty()) {
    return int64_t{0};
  }
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  int64_t removed = 0;
  // A run of consecutive ids is exactly the ids it spans, so one range DELETE removes it.
  for (size_t i = 0; i < ids.size();) {
    size_t j = i + 1;
    while (j < ids.size() && ids[j] == ids[j - 1] + 1) {
      ++j;
    }
    m_delete_span->bind(1, topic).bind(2, ids[i]).bind(3, ids[j - 1]);
    M2G_TRY(m_delete_span->run());
    removed += m_db.changes();
    i = j;
  }
  M2G_TRY(forget_spans(topic, ids.front(), ids.back()));
  return removed;
}

Result<void> Queue::insert(std::string_view topic, const std::vector<std::string>& lines) {
  int64_t now = m_clock->unix_ms();
  size_t i = 0;
  for (; i + k_insert_rows <= lines.size(); i += k_insert_rows) {
    m_insert_many->bind(1, topic).bind(2, now);
    for (size_t k = 0; k < k_insert_rows; ++k) {
      m_insert_many->bind_ref(static_cast<int>(k + 3), lines[i + k]);
    }
    M2G_TRY(m_insert_many->run());
  }
  for (; i < lines.size(); ++i) {
    m_insert->bind(1, topic).bind_ref(2, lines[i]).bind(3, now);
    M2G_TRY(m_insert->run());
  }
  return {};
}

Result<void> Queue::put(std::string_view topic, const std::vector<std::string>& lines) {
  auto tx = begin();
  if (!tx.ok()) {
    return tx.failure();
  }
  M2G_TRY(insert(topic, lines));
  M2G_TRY(tx->commit());
  wake(topic);
  return {};
}

Result<int64_t> Queue::ack(std::string_view topic, const std::vector<int64_t>& ids) {
  auto tx = begin();
  if (!tx.ok()) {
    return tx.failure();
  }
  auto removed = remove_batch(topic, ids);
  if (!removed.ok()) {
    return removed.failure();
  }
  M2G_TRY(tx->commit());
  return removed;
}

Result<int64_t> Queue::nack(std::string_view topic, const std::vector<int64_t>& ids) {
  auto tx = begin();
  if (!tx.ok()) {
    return tx.failure();
  }
  auto cursor = lease_cursor(topic);
  if (!cursor.ok()) {
    return cursor.failure();
  }
  int64_t released = 0;
  for (int64_t id : ids) {
    m_release->bind(1, id).bind(2, topic).bind(3, *cursor);
    M2G_TRY(m_release->run());
    released += m_db.changes();
  }
  M2G_TRY(tx->commit());
  if (released > 0) {
    wake(topic);
  }
  return released;
}

Result<int64_t> Queue::revive(std::string_view topic) {
  // lease_until = 1 ("ready since the epoch"), not 0: a revived line may lie inside a span.
  auto stmt = m_db.prepare("UPDATE m2g_queue SET state = 0, tries = 0, lease_until = 1 WHERE topic = ?1 AND state = 1");
  if (!stmt.ok()) {
    return stmt.failure();
  }
  stmt->bind(1, topic);
  M2G_TRY(stmt->run());
  int64_t revived = m_db.changes();
  if (revived > 0) {
    wake(topic);
  }
  return revived;
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

} // namespace m2g::queue
