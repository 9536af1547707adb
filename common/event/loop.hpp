#pragma once
// The single-threaded event loop every long-running m2g stage is built on: epoll for fds,
// a timer heap, deferred callbacks, and signals delivered as events (signalfd) so SIGTERM is
// handled between callbacks, never inside one. One loop serves the stage's stdin, its HTTP
// transfers (curl multi) and its HTTP server sockets without a thread per request.

#include "common/core/clock.hpp"

#include <cstdint>
#include <functional>
#include <memory>
#include <queue>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace m2g::event {

using TimerId = uint64_t;

/// fd readiness flags passed to watch callbacks (subset of epoll's).
enum : uint32_t { k_readable = 1, k_writable = 4, k_error = 8, k_hangup = 16 };

class Loop {
public:
  explicit Loop(Clock& clock = SystemClock::instance());
  ~Loop();
  Loop(const Loop&) = delete;
  Loop& operator=(const Loop&) = delete;

  /// Call `callback(events)` whenever `fd` is ready for `events` (k_readable | k_writable).
  /// Watching an fd already watched replaces its interest and callback.
  void watch(int fd, uint32_t events, std::function<void(uint32_t)> callback);
  /// Change the interest set of a watched fd (0: keep the watch, report nothing).
  void modify(int fd, uint32_t events);
  /// Stop watching `fd`. Safe from inside its own callback.
  void unwatch(int fd);

  /// Run `callback` once after `delay`.
  TimerId after(Millis delay, std::function<void()> callback);
  /// Run `callback` once at `when` (monotonic).
  TimerId at(TimePoint when, std::function<void()> callback);
  /// Forget a timer; harmless if it already ran.
  void cancel(TimerId id);

  /// Run `callback` after the callbacks now running, before the loop next blocks.
  void defer(std::function<void()> callback);

  /// Deliver `signo` (e.g. SIGTERM) as an event: it is blocked for the process and read from
  /// a signalfd, so the callback runs on the loop like any other.
  void on_signal(int signo, std::function<void()> callback);

  /// Dispatch until stop(). Callbacks may call stop().
  void run();
  /// Make run() return after the current callback.
  void stop();
  /// One dispatch round, waiting at most `max_wait` (for tests and nested waits).
  void run_once(Millis max_wait);

  TimePoint now() const { return m_clock.now(); }
  Clock& clock() { return m_clock; }

private:
  struct Watcher {
    int fd;
    uint32_t events;
    std::function<void(uint32_t)> callback;
  };
  struct Timer {
    TimePoint when;
    TimerId id;
    bool operator>(const Timer& other) const { return when > other.when || (when == other.when && id > other.id); }
  };

  void dispatch(int timeout_ms);
  int next_timeout_ms() const;
  void run_timers();
  void run_deferred();
  void run_deferred_round(); ///< only the callbacks deferred so far
  void read_signals();
  bool has_ready_file() const;

  Clock& m_clock;
  int m_epoll = -1;
  int m_signal_fd = -1;
  bool m_stopped = false;
  std::unordered_map<int, std::shared_ptr<Watcher>> m_watchers;
  std::unordered_set<int> m_always_ready; // regular files: epoll refuses them, they never block
  std::priority_queue<Timer, std::vector<Timer>, std::greater<Timer>> m_timer_heap;
  std::unordered_map<TimerId, std::function<void()>> m_timers;
  TimerId m_next_timer = 1;
  std::vector<std::function<void()>> m_deferred;
  std::unordered_map<int, std::function<void()>> m_signal_handlers;
};

} // namespace m2g::event
