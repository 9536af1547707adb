#pragma once
// Wakes a consumer when another process stores lines in its topic, without polling in a loop:
// inotify on the topic's wake file (see wake.hpp), plus a slow fallback tick in case a change
// slips past (a writer that sends no wake, a lease that runs out). Where the wake file cannot
// be made, it watches the database and its WAL instead: every commit of any topic wakes it.

#include <string>
#include <string_view>

namespace m2g::queue {

class ChangeWatcher {
public:
  ChangeWatcher(const std::string& db_path, std::string_view topic);
  ~ChangeWatcher();
  ChangeWatcher(const ChangeWatcher&) = delete;
  ChangeWatcher& operator=(const ChangeWatcher&) = delete;

  /// An fd that becomes readable on a change (for an event loop); -1 if inotify is unavailable.
  int fd() const { return m_fd; }
  /// Whether only this topic's wakes are watched (false: any write to the file).
  bool per_topic() const { return m_per_topic; }
  /// Block until a change or `timeout_ms`; true on a change. Interrupted by signals.
  bool wait(int timeout_ms);
  /// Consume pending change events.
  void drain();

private:
  int m_fd = -1;
  bool m_per_topic = false;
};

} // namespace m2g::queue
