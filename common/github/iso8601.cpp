#include "common/github/iso8601.hpp"

#include "common/commit/tz.hpp"

#include <cstdio>

namespace m2g::github {

std::string iso8601(int64_t unix_s) {
  int64_t days = unix_s >= 0 ? unix_s / 86400 : (unix_s - 86399) / 86400;
  int64_t rest = unix_s - days * 86400;
  int y = 0, m = 0, d = 0;
  commit::civil_from_days(days, y, m, d);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02dZ", y, m, d, int(rest / 3600), int(rest % 3600 / 60),
                int(rest % 60));
  return buf;
}

std::optional<int64_t> parse_iso8601(const std::string& text) {
  int y = 0, m = 0, d = 0, hh = 0, mm = 0, ss = 0;
  if (std::sscanf(text.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d", &y, &m, &d, &hh, &mm, &ss) != 6) {
    return std::nullopt;
  }
  return commit::days_from_civil(y, m, d) * 86400 + hh * 3600 + mm * 60 + ss;
}

} // namespace m2g::github
