#include "common/poll/state.hpp"

namespace m2g::poll {
namespace {

constexpr const char* k_schema = R"sql(
CREATE TABLE IF NOT EXISTS m2g_poll_offset (
  bot        INTEGER PRIMARY KEY,
  next       INTEGER NOT NULL,
  updated_ms INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS m2g_poll_seen (
  bot       INTEGER NOT NULL,
  update_id INTEGER NOT NULL,
  seen_ms   INTEGER NOT NULL,
  PRIMARY KEY (bot, update_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS m2g_poll_seen_age ON m2g_poll_seen(seen_ms);
)sql";

} // namespace

Result<StateStore> StateStore::open(sqlite::Db& db, int64_t bot_id, Clock& clock) {
  {
    auto tx = sqlite::Transaction::begin(db);
    if (!tx.ok()) {
      return tx.failure();
    }
    M2G_TRY(db.exec(k_schema));
    M2G_TRY(tx->commit());
  }
  StateStore store(db, bot_id, clock);
  auto prep = [&](std::optional<sqlite::Statement>& slot, std::string_view sql) -> Result<void> {
    auto stmt = db.prepare(sql);
    if (!stmt.ok()) {
      return stmt.failure();
    }
    slot.emplace(std::move(stmt.value()));
    return {};
  };
  M2G_TRY(prep(store.m_get_offset, "SELECT next FROM m2g_poll_offset WHERE bot = ?1"));
  M2G_TRY(prep(store.m_set_offset,
               "INSERT INTO m2g_poll_offset(bot, next, updated_ms) VALUES(?1, ?2, ?3) "
               "ON CONFLICT(bot) DO UPDATE SET next = excluded.next, updated_ms = excluded.updated_ms"));
  M2G_TRY(prep(store.m_mark, "INSERT OR IGNORE INTO m2g_poll_seen(bot, update_id, seen_ms) VALUES(?1, ?2, ?3)"));
  M2G_TRY(prep(store.m_is_seen, "SELECT 1 FROM m2g_poll_seen WHERE bot = ?1 AND update_id = ?2"));
  return store;
}

Result<int64_t> StateStore::offset() {
  m_get_offset->bind(1, m_bot);
  auto row = m_get_offset->step();
  int64_t value = row.ok() && *row ? m_get_offset->column_int64(0) : 0;
  m_get_offset->reset();
  if (!row.ok()) {
    return row.failure();
  }
  return value;
}

Result<void> StateStore::set_offset(int64_t offset) {
  m_set_offset->bind(1, m_bot).bind(2, offset).bind(3, m_clock->unix_ms());
  return m_set_offset->run();
}

Result<bool> StateStore::mark_seen(int64_t update_id) {
  m_mark->bind(1, m_bot).bind(2, update_id).bind(3, m_clock->unix_ms());
  M2G_TRY(m_mark->run());
  return m_db->changes() == 1;
}

Result<bool> StateStore::seen(int64_t update_id) {
  m_is_seen->bind(1, m_bot).bind(2, update_id);
  auto row = m_is_seen->step();
  bool found = row.ok() && *row;
  m_is_seen->reset();
  if (!row.ok()) {
    return row.failure();
  }
  return found;
}

Result<int64_t> StateStore::prune(Millis window) {
  auto stmt = m_db->prepare("DELETE FROM m2g_poll_seen WHERE bot = ?1 AND seen_ms < ?2");
  if (!stmt.ok()) {
    return stmt.failure();
  }
  auto tx = sqlite::Transaction::begin(*m_db);
  if (!tx.ok()) {
    return tx.failure();
  }
  stmt->bind(1, m_bot).bind(2, m_clock->unix_ms() - window.count());
  M2G_TRY(stmt->run());
  int64_t removed = m_db->changes();
  M2G_TRY(tx->commit());
  return removed;
}

} // namespace m2g::poll
