#pragma once
// Splits a byte stream into lines: partial reads, CRLF, a last line without '\n', and lines
// longer than the limit (reported as one over-long line, its bytes streamed to whoever wants
// them, the reader carrying on with the next line). Works on blocking and non-blocking fds.

#include <cstddef>
#include <string>
#include <string_view>

namespace m2g::jsonl {

/// What next() found.
enum class ReadEvent {
  line,          ///< a complete line in `text` (without '\n' or a trailing '\r')
  too_long_part, ///< part of a line over the limit; more parts follow
  too_long_end,  ///< the last part of a line over the limit
  none,          ///< no complete line buffered; call fill()
};

/// The result of fill().
enum class FillStatus { data, again, eof, error };

class LineReader {
public:
  explicit LineReader(int fd, size_t max_line_bytes);

  /// One read(2) into the buffer. `again` on EAGAIN (non-blocking fd), `eof` once the stream has
  /// ended (the last unterminated line, if any, is then returned by next()).
  FillStatus fill();
  /// The next event from the buffer; `text` stays valid until the following call.
  ReadEvent next(std::string_view& text);
  /// The number of the line the last event belongs to (1-based).
  size_t line_number() const { return m_line_number; }
  bool at_eof() const { return m_eof; }
  /// Whether a complete line can be returned without reading.
  bool has_buffered_line() const;
  int fd() const { return m_fd; }
  /// errno of the failed read, for FillStatus::error.
  int error() const { return m_errno; }

private:
  int m_fd;
  size_t m_max;
  std::string m_buf;
  size_t m_start = 0; // first unconsumed byte
  size_t m_scan = 0;  // where the search for '\n' resumes
  size_t m_line_number = 0;
  bool m_discarding = false; // inside a line over the limit
  bool m_eof = false;
  int m_errno = 0;
};

} // namespace m2g::jsonl
