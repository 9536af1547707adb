#pragma once
// Writes lines to an fd. When the fd is a pipe, socket or terminal (a live reader), lines are
// flushed at the end of every input batch so no finished record waits in a buffer; to a regular
// file they are batched. EPIPE (the reader went away) is remembered, not raised as SIGPIPE.

#include <cstddef>
#include <string>
#include <string_view>

namespace m2g::jsonl {

class LineWriter {
public:
  explicit LineWriter(int fd);

  /// Append one line; '\n' is added.
  void write_line(std::string_view line);
  /// Flush if the reader is live, or if the buffer is large. Call after each input batch.
  void end_of_batch();
  /// Write everything buffered, blocking (waits on a non-blocking fd). False on error.
  bool flush();
  /// Write as much as the fd takes now without blocking; true when the buffer is empty.
  bool try_flush();
  size_t buffered() const { return m_buf.size() - m_done; }
  bool live_reader() const { return m_live; }
  /// True once a write failed with EPIPE: the reader has gone.
  bool reader_gone() const { return m_epipe; }
  /// True once a write failed for another reason; errno in error().
  bool failed() const { return m_errno != 0; }
  int error() const { return m_errno; }
  int fd() const { return m_fd; }

private:
  bool write_some(bool block);
  int m_fd;
  bool m_live;
  bool m_epipe = false;
  int m_errno = 0;
  std::string m_buf;
  size_t m_done = 0;
};

} // namespace m2g::jsonl
