#pragma once
// Per-topic wake-ups between processes that share a queue file. A writer that stored lines in
// topic T touches DB-wake/T (one byte written in place) after its commit; a reader of T watches
// only that file with inotify. Watching the database's WAL instead woke every reader of the
// file on every commit of any topic, including its own: in m2g-bench realistic-10k the five
// stages on queue.db made ~33,000 looks that found nothing, against ~1,100 commits.
//
// Best effort on both sides: a wake that cannot be sent (a read-only directory, a writer that
// is not m2g, sqlite3 by hand) is found by the reader's slow fallback tick instead.

#include <string>
#include <string_view>
#include <unordered_map>

namespace m2g::queue {

/// The wake file of `topic` in the queue file `db_path`: "<db_path>-wake/<topic>", the topic
/// percent-encoded where it is not [A-Za-z0-9._-] (and hashed when very long).
std::string wake_path(const std::string& db_path, std::string_view topic);

/// The writer's side: one open file per topic, kept for the connection's life.
class WakeSender {
public:
  explicit WakeSender(std::string db_path) : m_db_path(std::move(db_path)) {}
  ~WakeSender();
  WakeSender(const WakeSender&) = delete;
  WakeSender& operator=(const WakeSender&) = delete;
  WakeSender(WakeSender&& other) noexcept;
  WakeSender& operator=(WakeSender&&) = delete;

  /// Tell the readers of `topic` that it changed (after the commit that changed it).
  void wake(std::string_view topic);

private:
  std::string m_db_path;
  std::unordered_map<std::string, int> m_fds; // -1: could not be opened, not tried again
};

/// Open (creating it and its folder when missing) the wake file of `topic`; -1 on failure.
int open_wake_file(const std::string& db_path, std::string_view topic);

} // namespace m2g::queue
