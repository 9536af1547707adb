#pragma once
// For unit tests of queue wake-ups: whether a ChangeWatcher has an event waiting.

#include "common/queue/watch.hpp"

#include <poll.h>

namespace m2g::test {

/// Whether `watcher` has an event waiting right now (inotify queues it at the write itself, so
/// no waiting is needed), consuming it.
inline bool woken(queue::ChangeWatcher& watcher) {
  pollfd pfd{watcher.fd(), POLLIN, 0};
  bool ready = ::poll(&pfd, 1, 0) == 1;
  watcher.drain();
  return ready;
}

} // namespace m2g::test
