#pragma once
// The poller's durable memory, in a SQLite database: the offset to confirm to Telegram next,
// and the update_ids already handed off (a second line of defence against duplicates: a
// webhook retry, a crash between a pipe write and the offset commit, a state file shared by
// mistake). Rows are keyed by bot, so several bots may share one database.
//
// The store never opens its own transaction: the caller wraps "store the lines, mark them seen,
// advance the offset" in one sqlite::Transaction, which is what makes the handoff atomic when
// the lines go to a queue in the same database.

#include "common/core/clock.hpp"
#include "common/core/error.hpp"
#include "common/sqlite/db.hpp"

#include <cstdint>
#include <optional>
#include <string>

namespace m2g::poll {

/// How long a seen update_id is remembered. Telegram keeps an unconfirmed update for at most
/// 24 hours, so nothing older can come back.
inline constexpr Millis k_seen_window{48LL * 3600 * 1000};

class StateStore {
public:
  /// Create the tables in `db` if needed (one short transaction). `db` must outlive the store.
  static Result<StateStore> open(sqlite::Db& db, int64_t bot_id, Clock& clock = SystemClock::instance());

  /// The stored offset: the first update_id not handed off yet (0: none stored).
  Result<int64_t> offset();
  /// Inside the caller's transaction: store `offset`.
  Result<void> set_offset(int64_t offset);
  /// Inside the caller's transaction: record `update_id` as handed off. False when it already
  /// was (a duplicate the caller must not emit again).
  Result<bool> mark_seen(int64_t update_id);
  /// Forget seen ids older than `window` (own transaction); returns how many went.
  Result<int64_t> prune(Millis window = k_seen_window);
  /// True when `update_id` is recorded as seen.
  Result<bool> seen(int64_t update_id);

  sqlite::Db& db() { return *m_db; }

private:
  StateStore(sqlite::Db& db, int64_t bot_id, Clock& clock) : m_db(&db), m_bot(bot_id), m_clock(&clock) {}

  sqlite::Db* m_db;
  int64_t m_bot;
  Clock* m_clock;
  std::optional<sqlite::Statement> m_get_offset, m_set_offset, m_mark, m_is_seen;
};

} // namespace m2g::poll
