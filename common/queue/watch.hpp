#pragma once
// Wakes a consumer when another process writes to a queue file, without polling in a loop:
// inotify on the database and its WAL (every commit in WAL mode writes the -wal file), plus a
// slow fallback tick in case a change slips past (e.g. the WAL is recreated).

#include <string>

namespace m2g::queue {

class ChangeWatcher {
public:
  explicit ChangeWatcher(const std::string& db_path);
  ~ChangeWatcher();
  ChangeWatcher(const ChangeWatcher&) = delete;
  ChangeWatcher& operator=(const ChangeWatcher&) = delete;

  /// An fd that becomes readable on a change (for an event loop); -1 if inotify is unavailable.
  int fd() const { return m_fd; }
  /// Block until a change or `timeout_ms`; true on a change. Interrupted by signals.
  bool wait(int timeout_ms);
  /// Consume pending change events.
  void drain();

private:
  int m_fd = -1;
};

} // namespace m2g::queue
