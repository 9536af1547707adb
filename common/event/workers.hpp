#pragma once
// A small pool of threads for blocking work (libgit2, file locks) that must not stall the event
// loop. Work runs on a pool thread; its completion runs back on the loop's thread through a
// Mailbox, so callers never share state across threads. Objects a job creates (a libgit2
// repository handle, say) live and die on the thread that runs it.

#include "common/event/mailbox.hpp"

#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

namespace m2g::event {

class Workers {
public:
  /// Start `threads` (≥ 1) threads whose completions are delivered on `loop`.
  Workers(Loop& loop, size_t threads);
  /// Finishes the work already queued, then joins the threads (completions not yet delivered
  /// are dropped: destroy the pool after the loop has drained them).
  ~Workers();
  Workers(const Workers&) = delete;
  Workers& operator=(const Workers&) = delete;

  /// Run `work` on a pool thread, then `done(result)` on the loop thread.
  template <typename T> void submit(std::function<T()> work, std::function<void(T)> done) {
    auto result = std::make_shared<std::optional<T>>();
    enqueue([this, work = std::move(work), done = std::move(done), result]() mutable {
      result->emplace(work());
      m_mailbox.post([this, done = std::move(done), result]() mutable {
        --m_busy;
        done(std::move(**result));
      });
    });
  }

  /// Jobs submitted whose completion has not run yet.
  size_t busy() const { return m_busy; }
  size_t threads() const { return m_threads.size(); }

private:
  void enqueue(std::function<void()> task);
  void thread_main();

  Mailbox m_mailbox;
  std::mutex m_mutex;
  std::condition_variable m_wake;
  std::deque<std::function<void()>> m_tasks;
  bool m_stopping = false;
  size_t m_busy = 0; // loop thread only
  std::vector<std::thread> m_threads;
};

} // namespace m2g::event
