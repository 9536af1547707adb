#include "common/route/pending.hpp"

namespace m2g::route {
namespace {

using json = nlohmann::json;

constexpr const char* k_schema = R"sql(
CREATE TABLE IF NOT EXISTS route_pending (
  chat_id INTEGER NOT NULL,
  message_id INTEGER NOT NULL,
  user_id INTEGER NOT NULL,
  date INTEGER NOT NULL,
  created_ms INTEGER NOT NULL,
  text TEXT NOT NULL,
  entities TEXT NOT NULL,
  photo TEXT,
  state TEXT NOT NULL,
  target TEXT,
  file TEXT,
  filed_by TEXT,
  custom_files TEXT NOT NULL,
  PRIMARY KEY (chat_id, message_id)
);
CREATE INDEX IF NOT EXISTS route_pending_created ON route_pending (created_ms);
)sql";

Pending::State parse_state(std::string_view name) {
  if (name == "filed") {
    return Pending::State::filed;
  }
  if (name == "cancelled") {
    return Pending::State::cancelled;
  }
  return Pending::State::pending;
}

json parse_or(std::string_view text, json fallback) {
  json value = json::parse(text, nullptr, false);
  return value.is_discarded() ? fallback : value;
}

} // namespace

const char* state_name(Pending::State state) {
  switch (state) {
  case Pending::State::filed:
    return "filed";
  case Pending::State::cancelled:
    return "cancelled";
  case Pending::State::pending:
    break;
  }
  return "pending";
}

Result<PendingStore> PendingStore::open(sqlite::Db& db, const Clock& clock) {
  M2G_TRY(db.exec(k_schema));
  return PendingStore(db, clock);
}

Result<void> PendingStore::put(Pending p) {
  auto stmt = m_db->prepare(
      "INSERT OR REPLACE INTO route_pending (chat_id, message_id, user_id, date, created_ms, text, entities, photo, "
      "state, target, file, filed_by, custom_files) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  if (!stmt) {
    return stmt.failure();
  }
  stmt->bind(1, p.chat_id).bind(2, p.message_id).bind(3, p.user_id).bind(4, p.date).bind(5, m_clock->unix_ms());
  stmt->bind(6, p.text).bind(7, p.entities.dump());
  if (p.photo.is_null()) {
    stmt->bind_null(8);
  } else {
    stmt->bind(8, p.photo.dump());
  }
  stmt->bind(9, state_name(p.state)).bind(10, p.target).bind(11, p.file).bind(12, p.filed_by);
  stmt->bind(13, json(p.custom_files).dump());
  return stmt->run();
}

Result<std::optional<Pending>> PendingStore::get(int64_t chat_id, int64_t message_id) {
  auto stmt = m_db->prepare("SELECT user_id, date, created_ms, text, entities, photo, state, target, file, filed_by, "
                            "custom_files FROM route_pending WHERE chat_id = ? AND message_id = ?");
  if (!stmt) {
    return stmt.failure();
  }
  stmt->bind(1, chat_id).bind(2, message_id);
  auto found = stmt->step();
  if (!found) {
    return found.failure();
  }
  if (!*found) {
    return std::optional<Pending>();
  }
  Pending p;
  p.chat_id = chat_id;
  p.message_id = message_id;
  p.user_id = stmt->column_int64(0);
  p.date = stmt->column_int64(1);
  p.created_ms = stmt->column_int64(2);
  p.text = std::string(stmt->column_text(3));
  p.entities = parse_or(stmt->column_text(4), json::array());
  if (!stmt->column_is_null(5)) {
    p.photo = parse_or(stmt->column_text(5), json());
  }
  p.state = parse_state(stmt->column_text(6));
  p.target = std::string(stmt->column_text(7));
  p.file = std::string(stmt->column_text(8));
  p.filed_by = std::string(stmt->column_text(9));
  json files = parse_or(stmt->column_text(10), json::array());
  for (const auto& name : files) {
    if (name.is_string()) {
      p.custom_files.push_back(name.get<std::string>());
    }
  }
  stmt->reset();
  return std::optional<Pending>(std::move(p));
}

Result<bool> PendingStore::update_text(int64_t chat_id, int64_t message_id, const std::string& text,
                                       const json& entities) {
  auto stmt = m_db->prepare("UPDATE route_pending SET text = ?, entities = ? WHERE chat_id = ? AND message_id = ? "
                            "AND state = 'pending'");
  if (!stmt) {
    return stmt.failure();
  }
  stmt->bind(1, text).bind(2, entities.dump()).bind(3, chat_id).bind(4, message_id);
  M2G_TRY(stmt->run());
  return m_db->changes() > 0;
}

Result<void> PendingStore::mark_filed(int64_t chat_id, int64_t message_id, const std::string& target,
                                      const std::string& file, const std::string& filed_by) {
  auto stmt = m_db->prepare("UPDATE route_pending SET state = 'filed', target = ?, file = ?, filed_by = ? "
                            "WHERE chat_id = ? AND message_id = ?");
  if (!stmt) {
    return stmt.failure();
  }
  stmt->bind(1, target).bind(2, file).bind(3, filed_by).bind(4, chat_id).bind(5, message_id);
  return stmt->run();
}

Result<void> PendingStore::mark_cancelled(int64_t chat_id, int64_t message_id) {
  auto stmt = m_db->prepare("UPDATE route_pending SET state = 'cancelled' WHERE chat_id = ? AND message_id = ? "
                            "AND state = 'pending'");
  if (!stmt) {
    return stmt.failure();
  }
  stmt->bind(1, chat_id).bind(2, message_id);
  return stmt->run();
}

Result<int64_t> PendingStore::cancel_all(int64_t chat_id) {
  auto stmt = m_db->prepare("UPDATE route_pending SET state = 'cancelled' WHERE chat_id = ? AND state = 'pending'");
  if (!stmt) {
    return stmt.failure();
  }
  stmt->bind(1, chat_id);
  M2G_TRY(stmt->run());
  return m_db->changes();
}

Result<int64_t> PendingStore::purge(int64_t before_ms) {
  auto stmt = m_db->prepare("DELETE FROM route_pending WHERE created_ms < ?");
  if (!stmt) {
    return stmt.failure();
  }
  stmt->bind(1, before_ms);
  M2G_TRY(stmt->run());
  return m_db->changes();
}

Result<int64_t> PendingStore::waiting(int64_t chat_id) {
  auto stmt = m_db->prepare("SELECT count(*) FROM route_pending WHERE chat_id = ? AND state = 'pending'");
  if (!stmt) {
    return stmt.failure();
  }
  stmt->bind(1, chat_id);
  auto found = stmt->step();
  if (!found) {
    return found.failure();
  }
  int64_t n = stmt->column_int64(0);
  stmt->reset();
  return n;
}

} // namespace m2g::route
