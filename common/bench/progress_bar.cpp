#include "common/bench/progress_bar.hpp"

#include "common/bench/report.hpp"

#include <algorithm>
#include <cstdio>
#include <unistd.h>

namespace m2g::bench {

std::string progress_line(const ProgressState& state, size_t bar_width) {
  double share =
      state.total == 0
          ? 1.0
          : std::min(1.0, static_cast<double>(state.pushed + state.failed) / static_cast<double>(state.total));
  auto filled = static_cast<size_t>(share * static_cast<double>(bar_width));
  std::string line = "[" + std::string(filled, '#') + std::string(bar_width - filled, '.') + "] ";
  char pct[16];
  std::snprintf(pct, sizeof pct, "%3d%%", static_cast<int>(share * 100));
  line += pct;
  line += "  " + group_digits(static_cast<double>(state.pushed)) + "/" +
          group_digits(static_cast<double>(state.total)) + " pushed";
  if (state.injected < state.total) {
    line += ", " + group_digits(static_cast<double>(state.injected)) + " sent";
  }
  line += ", " + group_digits(static_cast<double>(state.confirmed)) + " confirmed";
  if (state.failed > 0) {
    line += ", " + group_digits(static_cast<double>(state.failed)) + " failed";
  }
  char elapsed[32];
  std::snprintf(elapsed, sizeof elapsed, ", %.1f s", state.elapsed_s);
  return line + elapsed;
}

void ProgressBar::draw(const ProgressState& state) {
  if (!m_enabled) {
    return;
  }
  std::string line = progress_line(state);
  std::string out = "\r" + line;
  if (line.size() < m_last_width) {
    out += std::string(m_last_width - line.size(), ' ');
  }
  m_last_width = line.size();
  ssize_t ignored = ::write(m_fd, out.data(), out.size());
  (void)ignored;
}

void ProgressBar::clear() {
  if (!m_enabled || m_last_width == 0) {
    return;
  }
  std::string out = "\r" + std::string(m_last_width, ' ') + "\r";
  ssize_t ignored = ::write(m_fd, out.data(), out.size());
  (void)ignored;
  m_last_width = 0;
}

} // namespace m2g::bench
