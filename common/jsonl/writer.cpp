#include "common/jsonl/writer.hpp"

#include <cerrno>
#include <poll.h>
#include <sys/stat.h>
#include <unistd.h>

namespace m2g::jsonl {
namespace {
constexpr size_t k_batch_bytes = 64 * 1024;
}

LineWriter::LineWriter(int fd) : m_fd(fd) {
  struct stat st {};
  m_live = fstat(fd, &st) != 0 || !S_ISREG(st.st_mode);
}

void LineWriter::write_line(std::string_view line) {
  m_buf.append(line);
  m_buf.push_back('\n');
}

void LineWriter::end_of_batch() {
  if (m_live || buffered() >= k_batch_bytes) {
    flush();
  }
}

bool LineWriter::flush() {
  return write_some(true);
}
bool LineWriter::try_flush() {
  return write_some(false);
}

bool LineWriter::write_some(bool block) {
  while (m_done < m_buf.size()) {
    if (m_epipe || m_errno) {
      // Nobody will read it: drop it so memory stays bounded; the caller decides what to do.
      m_buf.clear();
      m_done = 0;
      return false;
    }
    ssize_t n = ::write(m_fd, m_buf.data() + m_done, m_buf.size() - m_done);
    if (n > 0) {
      m_done += static_cast<size_t>(n);
      continue;
    }
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      if (!block) {
        break;
      }
      pollfd pfd{m_fd, POLLOUT, 0};
      ::poll(&pfd, 1, -1);
      continue;
    }
    if (n < 0 && errno == EPIPE) {
      m_epipe = true;
    } else {
      m_errno = n < 0 ? errno : EIO;
    }
  }
  if (m_done == m_buf.size()) {
    m_buf.clear();
    m_done = 0;
    return !m_epipe && !m_errno;
  }
  if (m_done > k_batch_bytes) {
    m_buf.erase(0, m_done);
    m_done = 0;
  }
  return false;
}

} // namespace m2g::jsonl
