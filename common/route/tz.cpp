#include "common/route/tz.hpp"

#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <optional>

namespace m2g::route {
namespace {

std::string zoneinfo_dir() {
  const char* dir = std::getenv("TZDIR");
  return dir && *dir ? dir : "/usr/share/zoneinfo";
}

bool safe_name(std::string_view name) {
  if (name.empty() || name.size() > 64 || name.front() == '/' || name.back() == '/') {
    return false;
  }
  size_t segment = 0;
  for (size_t i = 0; i < name.size(); ++i) {
    char c = name[i];
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-' ||
              c == '+' || c == '/';
    if (!ok) {
      return false; // no '.', so no ".." either
    }
    if (c == '/') {
      if (i == segment) {
        return false;
      }
      segment = i + 1;
    }
  }
  return true;
}

// The zone's UTC offset at `unix_seconds`. Route is single-threaded, so switching TZ for one
// localtime_r call is safe; the previous value is restored.
long utc_offset(int64_t unix_seconds, const std::string& tz) {
  if (tz.empty() || tz == "UTC" || !valid_tz(tz)) {
    return 0;
  }
  const char* old = std::getenv("TZ");
  std::optional<std::string> saved = old ? std::optional<std::string>(old) : std::nullopt;
  setenv("TZ", (":" + tz).c_str(), 1);
  tzset();
  std::tm local{};
  auto t = static_cast<std::time_t>(unix_seconds);
  long offset = localtime_r(&t, &local) ? local.tm_gmtoff : 0;
  if (saved) {
    setenv("TZ", saved->c_str(), 1);
  } else {
    unsetenv("TZ");
  }
  tzset();
  return offset;
}

int64_t floor_div(int64_t a, int64_t b) {
  return a / b - ((a % b != 0) && ((a < 0) != (b < 0)) ? 1 : 0);
}

} // namespace

bool valid_tz(std::string_view name) {
  if (!safe_name(name)) {
    return false;
  }
  std::ifstream in(zoneinfo_dir() + "/" + std::string(name), std::ios::binary);
  char magic[4] = {};
  return in && in.read(magic, 4) && std::string_view(magic, 4) == "TZif";
}

int64_t local_day(int64_t unix_seconds, const std::string& tz) {
  return floor_div(unix_seconds + utc_offset(unix_seconds, tz), 86'400);
}

std::string day_string(int64_t day) {
  // Howard Hinnant's civil_from_days.
  int64_t z = day + 719'468;
  int64_t era = floor_div(z, 146'097);
  int64_t doe = z - era * 146'097;
  int64_t yoe = (doe - doe / 1460 + doe / 36'524 - doe / 146'096) / 365;
  int64_t y = yoe + era * 400;
  int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  int64_t mp = (5 * doy + 2) / 153;
  int64_t d = doy - (153 * mp + 2) / 5 + 1;
  int64_t m = mp < 10 ? mp + 3 : mp - 9;
  char out[80];
  std::snprintf(out, sizeof out, "%04lld-%02lld-%02lld", static_cast<long long>(y + (m <= 2 ? 1 : 0)),
                static_cast<long long>(m), static_cast<long long>(d));
  return out;
}

} // namespace m2g::route
