#pragma once
// The live progress bar on stderr while a run goes on: messages injected, pushed and
// confirmed, and the time so far. Redrawn in place with '\r', at most a few times a second.

#include <cstddef>
#include <string>

namespace m2g::bench {

struct ProgressState {
  size_t total = 0;
  size_t injected = 0;
  size_t pushed = 0;
  size_t confirmed = 0;
  size_t failed = 0;
  double elapsed_s = 0;
};

/// One line (no '\r' or '\n'): "[#####.....]  52%  5,200/10,000 pushed · 3,100 ✅ · 4.2 s".
std::string progress_line(const ProgressState& state, size_t bar_width = 30);

/// Draws progress_line on an fd, replacing the previous one; erases it at the end.
class ProgressBar {
public:
  /// `enabled` false makes every call a no-op (stderr is not a tty and --progress not given).
  ProgressBar(int fd, bool enabled) : m_fd(fd), m_enabled(enabled) {}
  void draw(const ProgressState& state);
  /// Erase the line, so the report starts clean.
  void clear();
  bool enabled() const { return m_enabled; }

private:
  int m_fd;
  bool m_enabled;
  size_t m_last_width = 0;
};

} // namespace m2g::bench
