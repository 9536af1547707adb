#include "common/event/workers.hpp"

namespace m2g::event {

Workers::Workers(Loop& loop, size_t threads) : m_mailbox(loop) {
  threads = std::max<size_t>(1, threads);
  m_threads.reserve(threads);
  for (size_t i = 0; i < threads; ++i) {
    m_threads.emplace_back([this] { thread_main(); });
  }
}

Workers::~Workers() {
  {
    std::lock_guard lock(m_mutex);
    m_stopping = true;
  }
  m_wake.notify_all();
  for (auto& thread : m_threads) {
    thread.join();
  }
}

void Workers::enqueue(std::function<void()> task) {
  ++m_busy;
  {
    std::lock_guard lock(m_mutex);
    m_tasks.push_back(std::move(task));
  }
  m_wake.notify_one();
}

void Workers::thread_main() {
  for (;;) {
    std::function<void()> task;
    {
      std::unique_lock lock(m_mutex);
      m_wake.wait(lock, [this] { return m_stopping || !m_tasks.empty(); });
      if (m_tasks.empty()) {
        return; // stopping, and nothing left to do
      }
      task = std::move(m_tasks.front());
      m_tasks.pop_front();
    }
    task();
  }
}

} // namespace m2g::event
