#include "common/jsonl/reader.hpp"

#include <cerrno>
#include <cstring>
#include <unistd.h>

namespace m2g::jsonl {
namespace {
constexpr size_t k_read_chunk = 64 * 1024;
}

LineReader::LineReader(int fd, size_t max_line_bytes) : m_fd(fd), m_max(max_line_bytes) {}

bool LineReader::has_buffered_line() const {
  return std::memchr(m_buf.data() + m_scan, '\n', m_buf.size() - m_scan) != nullptr ||
         (m_eof && m_start < m_buf.size());
}

FillStatus LineReader::fill() {
  if (m_eof) {
    return FillStatus::eof;
  }
  // Compact: drop consumed bytes once they dominate the buffer.
  if (m_start > 0 && m_start >= m_buf.size() / 2) {
    m_buf.erase(0, m_start);
    m_scan -= m_start;
    m_start = 0;
  }
  size_t old = m_buf.size();
  m_buf.resize(old + k_read_chunk);
  ssize_t n = ::read(m_fd, m_buf.data() + old, k_read_chunk);
  if (n < 0) {
    m_buf.resize(old);
    // EINTR is "again": the caller checks whether the signal asked it to stop.
    if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) {
      return FillStatus::again;
    }
    m_errno = errno;
    return FillStatus::error;
  }
  m_buf.resize(old + static_cast<size_t>(n));
  if (n == 0) {
    m_eof = true;
    return FillStatus::eof;
  }
  return FillStatus::data;
}

ReadEvent LineReader::next(std::string_view& text) {
  const char* base = m_buf.data();
  const void* nl = std::memchr(base + m_scan, '\n', m_buf.size() - m_scan);
  if (nl) {
    size_t end = static_cast<size_t>(static_cast<const char*>(nl) - base);
    size_t begin = m_start;
    m_start = m_scan = end + 1;
    if (m_discarding) {
      m_discarding = false;
      text = std::string_view(base + begin, end - begin);
      return ReadEvent::too_long_end;
    }
    ++m_line_number;
    if (end - begin > m_max) {
      text = std::string_view(base + begin, end - begin);
      return ReadEvent::too_long_end;
    }
    if (end > begin && base[end - 1] == '\r') {
      --end;
    }
    text = std::string_view(base + begin, end - begin);
    return ReadEvent::line;
  }
  size_t pending = m_buf.size() - m_start;
  if (m_eof && pending > 0) {
    // The last line has no newline: it is still a line.
    size_t begin = m_start;
    m_start = m_scan = m_buf.size();
    if (m_discarding) {
      m_discarding = false;
      text = std::string_view(base + begin, pending);
      return ReadEvent::too_long_end;
    }
    ++m_line_number;
    if (pending > m_max) {
      text = std::string_view(base + begin, pending);
      return ReadEvent::too_long_end;
    }
    size_t len = pending;
    if (base[begin + len - 1] == '\r') {
      --len;
    }
    text = std::string_view(base + begin, len);
    return ReadEvent::line;
  }
  m_scan = m_buf.size();
  if (pending > m_max || (m_discarding && pending > 0)) {
    // Over the limit with no end in sight: hand the bytes out and keep memory bounded.
    if (!m_discarding) {
      m_discarding = true;
      ++m_line_number;
    }
    size_t begin = m_start;
    m_start = m_scan = m_buf.size();
    text = std::string_view(base + begin, pending);
    return ReadEvent::too_long_part;
  }
  return ReadEvent::none;
}

} // namespace m2g::jsonl
