#pragma once
// Messages waiting for the person to choose where to file them, in SQLite so that a keyboard
// still works after m2g-route restarts (the reference kept them in an unsynchronised map that
// a restart emptied). A row stays after it is filed, so a second click on the same keyboard is
// answered "already filed" instead of filing twice, and a redelivered click (same callback
// id) files the same job again for m2g-commit to recognise. Rows expire.

#include "common/core/clock.hpp"
#include "common/core/error.hpp"
#include "common/sqlite/db.hpp"

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace m2g::route {

struct Pending {
  enum class State { pending, filed, cancelled };
  int64_t chat_id = 0;
  int64_t message_id = 0;
  int64_t user_id = 0;
  int64_t date = 0; ///< the message's own Unix time (seconds)
  int64_t created_ms = 0;
  std::string text;
  nlohmann::json entities = nlohmann::json::array();
  nlohmann::json photo; ///< null for text
  State state = State::pending;
  std::string target, file;              ///< where it was filed
  std::string filed_by;                  ///< the callback id (or "update:N") that filed it
  std::vector<std::string> custom_files; ///< the custom files the keyboard showed, by index
};

class PendingStore {
public:
  /// Create the table in `db` if needed. `db` must outlive the store.
  static Result<PendingStore> open(sqlite::Db& db, const Clock& clock);

  /// Insert or replace the row of (chat_id, message_id), stamping created_ms now.
  Result<void> put(Pending pending);
  Result<std::optional<Pending>> get(int64_t chat_id, int64_t message_id);
  /// Replace the text of a row still waiting for a choice (an edited message). False when
  /// there is no such row.
  Result<bool> update_text(int64_t chat_id, int64_t message_id, const std::string& text,
                           const nlohmann::json& entities);
  Result<void> mark_filed(int64_t chat_id, int64_t message_id, const std::string& target, const std::string& file,
                          const std::string& filed_by);
  Result<void> mark_cancelled(int64_t chat_id, int64_t message_id);
  /// Cancel every row of the chat still waiting; returns how many.
  Result<int64_t> cancel_all(int64_t chat_id);
  /// Delete rows created before `before_ms`; returns how many.
  Result<int64_t> purge(int64_t before_ms);
  /// Rows still waiting in the chat.
  Result<int64_t> waiting(int64_t chat_id);

private:
  PendingStore(sqlite::Db& db, const Clock& clock) : m_db(&db), m_clock(&clock) {}
  sqlite::Db* m_db;
  const Clock* m_clock;
};

const char* state_name(Pending::State state);

} // namespace m2g::route
