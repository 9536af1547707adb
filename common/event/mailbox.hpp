#pragma once
// A thread-safe inbox for an event loop: any thread posts a callback, the loop's own thread
// runs it. Worker threads (blocking libgit2 or SQLite calls) hand their results back this way,
// so every piece of stage state is still touched by one thread only. One eventfd wakes the
// loop; posts made while a wake-up is pending cost no system call.

#include "common/event/loop.hpp"

#include <functional>
#include <mutex>
#include <vector>

namespace m2g::event {

class Mailbox {
public:
  /// Watches a new eventfd on `loop`. Throws m2g::Error (70) if the kernel refuses one.
  explicit Mailbox(Loop& loop);
  /// Unwatches; callbacks still queued are dropped (post nothing after destruction begins).
  ~Mailbox();
  Mailbox(const Mailbox&) = delete;
  Mailbox& operator=(const Mailbox&) = delete;

  /// Thread-safe: run `callback` on the loop's thread, after those posted before it.
  void post(std::function<void()> callback);
  /// Callbacks posted but not yet run (for tests and drain checks).
  size_t pending() const;

private:
  void drain();

  Loop& m_loop;
  int m_fd = -1;
  mutable std::mutex m_mutex;
  std::vector<std::function<void()>> m_queue;
  bool m_signalled = false; // a wake-up is in the eventfd and not yet drained
};

} // namespace m2g::event
