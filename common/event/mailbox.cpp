#include "common/event/mailbox.hpp"

#include "common/core/error.hpp"
#include "common/core/exit_codes.hpp"

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <sys/eventfd.h>
#include <unistd.h>

namespace m2g::event {

Mailbox::Mailbox(Loop& loop) : m_loop(loop) {
  m_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (m_fd < 0) {
    throw Error(exit_code::k_software, std::string("cannot create an eventfd: ") + std::strerror(errno));
  }
  m_loop.watch(m_fd, k_readable, [this](uint32_t) { drain(); });
}

Mailbox::~Mailbox() {
  m_loop.unwatch(m_fd);
  close(m_fd);
}

void Mailbox::post(std::function<void()> callback) {
  bool wake = false;
  {
    std::lock_guard lock(m_mutex);
    m_queue.push_back(std::move(callback));
    wake = !m_signalled;
    m_signalled = true;
  }
  if (wake) {
    uint64_t one = 1;
    // EAGAIN only happens when the counter is about to overflow: the loop is woken anyway.
    ssize_t written = write(m_fd, &one, sizeof one);
    (void)written;
  }
}

size_t Mailbox::pending() const {
  std::lock_guard lock(m_mutex);
  return m_queue.size();
}

void Mailbox::drain() {
  uint64_t count = 0;
  ssize_t got = read(m_fd, &count, sizeof count);
  (void)got;
  std::vector<std::function<void()>> batch;
  {
    std::lock_guard lock(m_mutex);
    batch.swap(m_queue);
    m_signalled = false;
  }
  for (auto& callback : batch) {
    callback();
  }
}

} // namespace m2g::event
