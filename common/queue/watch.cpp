#include "common/queue/watch.hpp"

#include "common/queue/wake.hpp"

#include <poll.h>
#include <sys/inotify.h>
#include <unistd.h>

namespace m2g::queue {

ChangeWatcher::ChangeWatcher(const std::string& db_path, std::string_view topic) {
  m_fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  if (m_fd < 0) {
    return;
  }
  // The wake file must exist before it can be watched; a reader that comes first makes it.
  if (int wake_fd = open_wake_file(db_path, topic); wake_fd >= 0) {
    ::close(wake_fd);
    m_per_topic = inotify_add_watch(m_fd, wake_path(db_path, topic).c_str(), IN_MODIFY) >= 0;
  }
  if (!m_per_topic) {
    inotify_add_watch(m_fd, db_path.c_str(), IN_MODIFY);
    inotify_add_watch(m_fd, (db_path + "-wal").c_str(), IN_MODIFY);
  }
}

ChangeWatcher::~ChangeWatcher() {
  if (m_fd >= 0) {
    close(m_fd);
  }
}

bool ChangeWatcher::wait(int timeout_ms) {
  if (m_fd < 0) {
    ::poll(nullptr, 0, timeout_ms);
    return false;
  }
  pollfd pfd{m_fd, POLLIN, 0};
  int n = ::poll(&pfd, 1, timeout_ms);
  drain();
  return n > 0;
}

void ChangeWatcher::drain() {
  if (m_fd < 0) {
    return;
  }
  char buf[4096];
  while (read(m_fd, buf, sizeof buf) > 0) {
  }
}

} // namespace m2g::queue
