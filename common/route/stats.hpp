#pragma once
// Usage figures for /insight and /stats, kept by m2g-route itself: how many messages each chat
// filed, per target and per local day. Only allowed chats are ever counted.

#include "common/core/error.hpp"
#include "common/sqlite/db.hpp"

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace m2g::route {

/// Counts over a set of chats (one chat for /insight, all for /stats).
struct Summary {
  int64_t total = 0;                                       ///< all time
  int64_t chats = 0;                                       ///< chats that filed anything
  std::vector<std::pair<std::string, int64_t>> per_target; ///< all time, largest first
  std::map<int64_t, int64_t> per_day;                      ///< day number → count, from the `since` day on
};

class StatsStore {
public:
  /// Create the table in `db` if needed. `db` must outlive the store.
  static Result<StatsStore> open(sqlite::Db& db);

  /// Count one message filed by `chat_id` on local `day` to `target` (a built-in target name or
  /// a custom file name).
  Result<void> record(int64_t chat_id, int64_t day, const std::string& target);
  /// One chat's figures; per_day from `since_day` on.
  Result<Summary> chat(int64_t chat_id, int64_t since_day);
  /// Every chat's figures together.
  Result<Summary> global(int64_t since_day);

private:
  explicit StatsStore(sqlite::Db& db) : m_db(&db) {}
  Result<Summary> summarize(const char* where, int64_t chat_id, int64_t since_day);
  sqlite::Db* m_db;
};

/// 30 days ending `today` as 3 rows of 10 squares, oldest first: ⬜ 0, 🟩 1–2, 🟨 3–5, 🟧 6–10,
/// 🟥 more.
std::string activity_grid(const std::map<int64_t, int64_t>& per_day, int64_t today);

/// The /insight (one chat) or /stats (all chats) reply, in Telegram HTML.
std::string render_summary(const Summary& summary, int64_t today, bool global);

} // namespace m2g::route
