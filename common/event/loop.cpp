#include "common/event/loop.hpp"

#include "common/core/error.hpp"
#include "common/core/exit_codes.hpp"

#include <cerrno>
#include <csignal>
#include <cstring>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <unistd.h>

namespace m2g::event {
namespace {

uint32_t to_epoll(uint32_t events) {
  uint32_t out = 0;
  if (events & k_readable) {
    out |= EPOLLIN | EPOLLRDHUP;
  }
  if (events & k_writable) {
    out |= EPOLLOUT;
  }
  return out;
}

uint32_t from_epoll(uint32_t events) {
  uint32_t out = 0;
  if (events & (EPOLLIN | EPOLLRDHUP)) {
    out |= k_readable;
  }
  if (events & EPOLLOUT) {
    out |= k_writable;
  }
  if (events & EPOLLERR) {
    out |= k_error;
  }
  if (events & EPOLLHUP) {
    out |= k_hangup;
  }
  return out;
}

} // namespace

Loop::Loop(Clock& clock) : m_clock(clock) {
  m_epoll = epoll_create1(EPOLL_CLOEXEC);
  if (m_epoll < 0) {
    throw Error(exit_code::k_software, std::string("cannot create an epoll instance: ") + std::strerror(errno));
  }
}

Loop::~Loop() {
  if (m_signal_fd >= 0) {
    close(m_signal_fd);
  }
  close(m_epoll);
}

void Loop::watch(int fd, uint32_t events, std::function<void(uint32_t)> callback) {
  auto watcher = std::make_shared<Watcher>(Watcher{fd, events, std::move(callback)});
  epoll_event ev{};
  ev.events = to_epoll(events);
  ev.data.fd = fd;
  bool existed = m_watchers.count(fd) > 0;
  m_watchers[fd] = std::move(watcher);
  if (m_always_ready.count(fd)) {
    return;
  }
  if (epoll_ctl(m_epoll, existed ? EPOLL_CTL_MOD : EPOLL_CTL_ADD, fd, &ev) != 0) {
    // A regular file cannot be polled (EPERM): it is always ready, so report it as such.
    if (errno == EPERM) {
      m_always_ready.insert(fd);
      return;
    }
    throw Error(exit_code::k_software, "cannot watch fd " + std::to_string(fd) + ": " + std::strerror(errno));
  }
}

void Loop::modify(int fd, uint32_t events) {
  auto it = m_watchers.find(fd);
  if (it == m_watchers.end()) {
    return;
  }
  it->second->events = events;
  if (m_always_ready.count(fd)) {
    return;
  }
  epoll_event ev{};
  ev.events = to_epoll(events);
  ev.data.fd = fd;
  epoll_ctl(m_epoll, EPOLL_CTL_MOD, fd, &ev);
}

void Loop::unwatch(int fd) {
  if (m_watchers.erase(fd) > 0 && m_always_ready.erase(fd) == 0) {
    epoll_ctl(m_epoll, EPOLL_CTL_DEL, fd, nullptr);
  }
}

TimerId Loop::after(Millis delay, std::function<void()> callback) {
  return at(m_clock.now() + delay, std::move(callback));
}

TimerId Loop::at(TimePoint when, std::function<void()> callback) {
  TimerId id = m_next_timer++;
  m_timers.emplace(id, std::move(callback));
  m_timer_heap.push(Timer{when, id});
  return id;
}

void Loop::cancel(TimerId id) {
  m_timers.erase(id);
}

void Loop::defer(std::function<void()> callback) {
  m_deferred.push_back(std::move(callback));
}

void Loop::on_signal(int signo, std::function<void()> callback) {
  sigset_t mask;
  sigemptyset(&mask);
  for (const auto& [known, handler] : m_signal_handlers) {
    sigaddset(&mask, known);
  }
  sigaddset(&mask, signo);
  // Blocked signals stay pending until the signalfd reads them.
  sigprocmask(SIG_BLOCK, &mask, nullptr);
  m_signal_handlers[signo] = std::move(callback);
  bool first = m_signal_fd < 0;
  m_signal_fd = signalfd(m_signal_fd, &mask, SFD_NONBLOCK | SFD_CLOEXEC);
  if (m_signal_fd < 0) {
    throw Error(exit_code::k_software, std::string("cannot create a signalfd: ") + std::strerror(errno));
  }
  if (first) {
    watch(m_signal_fd, k_readable, [this](uint32_t) { read_signals(); });
  }
}

void Loop::read_signals() {
  signalfd_siginfo info{};
  while (read(m_signal_fd, &info, sizeof info) == static_cast<ssize_t>(sizeof info)) {
    auto it = m_signal_handlers.find(static_cast<int>(info.ssi_signo));
    if (it != m_signal_handlers.end()) {
      auto handler = it->second;
      handler();
    }
  }
}

void Loop::stop() {
  m_stopped = true;
}

void Loop::run() {
  m_stopped = false;
  while (!m_stopped) {
    // One round of deferred work per turn, then the sockets and timers (without waiting while
    // more is deferred). Work that defers more work, such as a queue drained 512 lines at a
    // time, would otherwise hold off every timer and socket until it is done: m2g-llm read all
    // 10,000 jobs of a burst before the first of their requests could connect.
    run_deferred_round();
    if (m_stopped) {
      break;
    }
    dispatch(next_timeout_ms());
  }
}

void Loop::run_once(Millis max_wait) {
  run_deferred();
  int timeout = next_timeout_ms();
  int cap = static_cast<int>(max_wait.count());
  dispatch(timeout < 0 ? cap : std::min(timeout, cap));
  run_deferred();
}

int Loop::next_timeout_ms() const {
  if (!m_deferred.empty() || has_ready_file()) {
    return 0;
  }
  if (m_timer_heap.empty()) {
    return -1;
  }
  auto delta = m_timer_heap.top().when - m_clock.now();
  if (delta <= std::chrono::nanoseconds(0)) {
    return 0;
  }
  // Round up so a timer never fires a hair early and spins.
  auto ms = std::chrono::duration_cast<Millis>(delta + std::chrono::microseconds(999)).count();
  return static_cast<int>(std::min<int64_t>(ms, 60'000));
}

bool Loop::has_ready_file() const {
  for (int fd : m_always_ready) {
    auto it = m_watchers.find(fd);
    if (it != m_watchers.end() && (it->second->events & (k_readable | k_writable)) != 0) {
      return true;
    }
  }
  return false;
}

void Loop::dispatch(int timeout_ms) {
  epoll_event events[256];
  int n = epoll_wait(m_epoll, events, 256, timeout_ms);
  if (n < 0 && errno != EINTR) {
    throw Error(exit_code::k_software, std::string("epoll_wait failed: ") + std::strerror(errno));
  }
  for (int i = 0; i < n; ++i) {
    auto it = m_watchers.find(events[i].data.fd);
    if (it == m_watchers.end()) {
      continue; // unwatched by an earlier callback of this round
    }
    auto watcher = it->second; // keeps the callback alive if it unwatches itself
    watcher->callback(from_epoll(events[i].events));
    if (m_stopped) {
      break;
    }
  }
  if (!m_always_ready.empty() && !m_stopped) {
    std::vector<int> ready(m_always_ready.begin(), m_always_ready.end());
    for (int fd : ready) {
      auto it = m_watchers.find(fd);
      if (it == m_watchers.end() || (it->second->events & (k_readable | k_writable)) == 0) {
        continue;
      }
      auto watcher = it->second;
      watcher->callback(watcher->events & (k_readable | k_writable));
      if (m_stopped) {
        break;
      }
    }
  }
  run_timers();
}

void Loop::run_timers() {
  auto now = m_clock.now();
  while (!m_timer_heap.empty() && m_timer_heap.top().when <= now) {
    TimerId id = m_timer_heap.top().id;
    m_timer_heap.pop();
    auto it = m_timers.find(id);
    if (it == m_timers.end()) {
      continue; // cancelled
    }
    auto callback = std::move(it->second);
    m_timers.erase(it);
    callback();
  }
}

void Loop::run_deferred_round() {
  auto batch = std::move(m_deferred);
  m_deferred.clear();
  for (auto& callback : batch) {
    callback();
  }
}

void Loop::run_deferred() {
  // Callbacks may defer more work; run until none is left, in order.
  while (!m_deferred.empty()) {
    run_deferred_round();
  }
}

} // namespace m2g::event
