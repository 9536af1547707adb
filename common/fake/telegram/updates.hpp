#pragma once
// The fake Bot API's update queue, with Telegram's getUpdates offset semantics: an update is
// confirmed (and forgotten) as soon as getUpdates is called with an offset above its id; a
// negative offset keeps only the last -offset updates; updates that were returned but not
// confirmed are returned again. Updates are kept serialized, so a getUpdates answer is a
// concatenation, not a JSON build.

#include <cstdint>
#include <deque>
#include <set>
#include <string>
#include <vector>

namespace m2g::fake::telegram {

struct StoredUpdate {
  int64_t id = 0;
  std::string type; ///< "message", "callback_query", ... (for allowed_updates)
  std::string json; ///< the whole Update object, serialized
};

class UpdateStore {
public:
  explicit UpdateStore(int64_t first_id = 1) : m_next_id(first_id) {}

  /// The id the next update gets.
  int64_t next_id() const { return m_next_id; }
  /// Append an update of `type` whose payload (the Message, CallbackQuery, ...) is
  /// `payload_json`; returns its update_id.
  int64_t add(std::string_view type, std::string_view payload_json);
  /// Append a whole Update object `update_json` with id `id` (≥ next_id()); for raw injection.
  void add_raw(int64_t id, std::string type, std::string update_json);

  /// Apply `offset` as getUpdates does (confirm and forget).
  void confirm(int64_t offset);
  /// The first `limit` pending updates whose type is allowed (empty set: all). Updates of other
  /// types are dropped on the way, as Telegram never delivers them.
  std::vector<const StoredUpdate*> peek(size_t limit, const std::set<std::string>& allowed);
  /// `{"ok":true,"result":[...]}` for `updates`.
  static std::string response_body(const std::vector<const StoredUpdate*>& updates);

  size_t pending() const { return m_updates.size(); }
  /// Forget everything (the next ids keep counting up).
  void clear() { m_updates.clear(); }
  const std::deque<StoredUpdate>& all() const { return m_updates; }

private:
  std::deque<StoredUpdate> m_updates;
  int64_t m_next_id;
};

} // namespace m2g::fake::telegram
