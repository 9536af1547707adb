#include "common/commit/tz.hpp"

#include "common/core/exit_codes.hpp"

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <map>
#include <mutex>
#include <sstream>

namespace m2g::commit {
namespace {

constexpr int64_t k_day = 86400;

int64_t floor_div(int64_t a, int64_t b) {
  return a / b - ((a % b != 0) && ((a < 0) != (b < 0)));
}

bool is_leap(int year) {
  return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

int days_in_month(int year, int month) {
  static constexpr int k_days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && is_leap(year) ? 29 : k_days[month - 1];
}

uint32_t be32(std::string_view bytes, size_t at) {
  return (uint32_t(uint8_t(bytes[at])) << 24) | (uint32_t(uint8_t(bytes[at + 1])) << 16) |
         (uint32_t(uint8_t(bytes[at + 2])) << 8) | uint32_t(uint8_t(bytes[at + 3]));
}

int64_t be64(std::string_view bytes, size_t at) {
  return static_cast<int64_t>((uint64_t(be32(bytes, at)) << 32) | be32(bytes, at + 4));
}

// A small cursor over a POSIX TZ string.
struct Cursor {
  std::string_view text;
  size_t pos = 0;
  bool done() const { return pos >= text.size(); }
  char peek() const { return done() ? '\0' : text[pos]; }
  bool eat(char c) {
    if (peek() == c) {
      ++pos;
      return true;
    }
    return false;
  }
  bool number(int& out, int max_digits = 3) {
    size_t start = pos;
    out = 0;
    while (!done() && pos - start < size_t(max_digits) && text[pos] >= '0' && text[pos] <= '9') {
      out = out * 10 + (text[pos++] - '0');
    }
    return pos > start;
  }
  bool name() {
    if (eat('<')) {
      size_t end = text.find('>', pos);
      if (end == std::string_view::npos || end - pos < 3) {
        return false;
      }
      pos = end + 1;
      return true;
    }
    size_t start = pos;
    while (!done() && ((text[pos] >= 'A' && text[pos] <= 'Z') || (text[pos] >= 'a' && text[pos] <= 'z'))) {
      ++pos;
    }
    return pos - start >= 3;
  }
  // [+-]hh[:mm[:ss]] in seconds.
  bool hms(int32_t& out) {
    int sign = 1;
    if (eat('-')) {
      sign = -1;
    } else {
      eat('+');
    }
    int h = 0, m = 0, s = 0;
    if (!number(h)) {
      return false;
    }
    if (eat(':') && (!number(m, 2) || (eat(':') && !number(s, 2)))) {
      return false;
    }
    out = sign * (h * 3600 + m * 60 + s);
    return true;
  }
};

} // namespace

int64_t days_from_civil(int year, int month, int day) {
  // Howard Hinnant's algorithm (public domain), exact for the proleptic Gregorian calendar.
  year -= month <= 2;
  const int64_t era = floor_div(year, 400);
  const int64_t yoe = year - era * 400;
  const int64_t doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

void civil_from_days(int64_t days, int& year, int& month, int& day) {
  days += 719468;
  const int64_t era = floor_div(days, 146097);
  const int64_t doe = days - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  day = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  year = static_cast<int>(yoe + era * 400 + (month <= 2));
}

Result<PosixRule> PosixRule::parse(std::string_view text) {
  auto bad = [&] { return fail(exit_code::k_dataerr, "bad POSIX time zone rule '" + std::string(text) + "'"); };
  Cursor in{text};
  PosixRule rule;
  int32_t west = 0;
  if (!in.name() || !in.hms(west)) {
    return bad();
  }
  rule.m_std = -west;
  if (in.done()) {
    return rule;
  }
  if (!in.name()) {
    return bad();
  }
  rule.m_has_dst = true;
  rule.m_dst = rule.m_std + 3600;
  if (in.peek() != ',' && !in.done()) {
    if (!in.hms(west)) {
      return bad();
    }
    rule.m_dst = -west;
  }
  auto boundary = [&](Boundary& b) {
    if (in.eat('M')) {
      b.kind = 'M';
      if (!in.number(b.a, 2) || !in.eat('.') || !in.number(b.b, 1) || !in.eat('.') || !in.number(b.c, 1)) {
        return false;
      }
      if (b.a < 1 || b.a > 12 || b.b < 1 || b.b > 5 || b.c > 6) {
        return false;
      }
    } else if (in.eat('J')) {
      b.kind = 'J';
      if (!in.number(b.a) || b.a < 1 || b.a > 365) {
        return false;
      }
    } else {
      b.kind = 'N';
      if (!in.number(b.a) || b.a > 365) {
        return false;
      }
    }
    return !in.eat('/') || in.hms(b.time);
  };
  if (in.done()) {
    // No rule given: POSIX leaves it to the implementation; US rules are the usual default.
    rule.m_start = Boundary{'M', 3, 2, 0, 7200};
    rule.m_end = Boundary{'M', 11, 1, 0, 7200};
    return rule;
  }
  if (!in.eat(',') || !boundary(rule.m_start) || !in.eat(',') || !boundary(rule.m_end) || !in.done()) {
    return bad();
  }
  return rule;
}

int64_t PosixRule::boundary_utc(const Boundary& b, int year, int32_t offset_before) const {
  int64_t day = 0;
  if (b.kind == 'J') {
    day = days_from_civil(year, 1, 1) + b.a - 1 + (is_leap(year) && b.a >= 60 ? 1 : 0);
  } else if (b.kind == 'N') {
    day = days_from_civil(year, 1, 1) + b.a;
  } else {
    int64_t first = days_from_civil(year, b.a, 1);
    int weekday = static_cast<int>(((first + 4) % 7 + 7) % 7); // 1970-01-01 was a Thursday
    int dom = 1 + (b.c - weekday + 7) % 7 + (b.b - 1) * 7;
    while (dom > days_in_month(year, b.a)) {
      dom -= 7;
    }
    day = first + dom - 1;
  }
  return day * k_day + b.time - offset_before;
}

int32_t PosixRule::offset_at(int64_t t) const {
  if (!m_has_dst) {
    return m_std;
  }
  int year = 0, month = 0, day = 0;
  civil_from_days(floor_div(t + m_std, k_day), year, month, day);
  int64_t start = boundary_utc(m_start, year, m_std);
  int64_t end = boundary_utc(m_end, year, m_dst);
  bool dst = start < end ? (t >= start && t < end) : !(t >= end && t < start);
  return dst ? m_dst : m_std;
}

std::shared_ptr<const TimeZone> TimeZone::utc() {
  static const auto zone = std::make_shared<const TimeZone>();
  return zone;
}

Result<TimeZone> TimeZone::parse(const std::string& name, std::string_view bytes) {
  auto bad = [&](const char* why) {
    return fail(exit_code::k_dataerr, "time zone file for '" + name + "' is not valid: " + why);
  };
  auto header = [&](size_t at, uint32_t counts[6]) {
    if (bytes.size() < at + 44 || bytes.substr(at, 4) != "TZif") {
      return false;
    }
    for (int i = 0; i < 6; ++i) {
      counts[i] = be32(bytes, at + 20 + 4 * i);
    }
    return true;
  };
  uint32_t c[6]; // isutcnt, isstdcnt, leapcnt, timecnt, typecnt, charcnt
  if (!header(0, c)) {
    return bad("no TZif header");
  }
  char version = bytes[4];
  size_t at = 44;
  int time_size = 4;
  if (version >= '2') {
    at += size_t(c[3]) * 4 + c[3] + size_t(c[4]) * 6 + c[5] + size_t(c[2]) * 8 + c[1] + c[0];
    if (!header(at, c)) {
      return bad("no second TZif header");
    }
    at += 44;
    time_size = 8;
  }
  size_t need =
      size_t(c[3]) * time_size + c[3] + size_t(c[4]) * 6 + c[5] + size_t(c[2]) * (time_size + 4) + c[1] + c[0];
  if (c[4] == 0 || bytes.size() < at + need) {
    return bad("truncated");
  }
  TimeZone zone;
  zone.m_name = name;
  std::vector<int32_t> type_offsets(c[4]);
  size_t types_at = at + size_t(c[3]) * time_size + c[3];
  for (uint32_t i = 0; i < c[4]; ++i) {
    type_offsets[i] = static_cast<int32_t>(be32(bytes, types_at + 6 * i));
  }
  zone.m_initial = type_offsets[0];
  for (uint32_t i = 0; i < c[3]; ++i) {
    int64_t when = time_size == 8 ? be64(bytes, at + 8 * i) : static_cast<int32_t>(be32(bytes, at + 4 * i));
    uint8_t type = uint8_t(bytes[at + size_t(c[3]) * time_size + i]);
    if (type >= c[4]) {
      return bad("transition to an unknown type");
    }
    zone.m_times.push_back(when);
    zone.m_offsets.push_back(type_offsets[type]);
  }
  at += need;
  if (version >= '2' && at < bytes.size() && bytes[at] == '\n') {
    size_t end = bytes.find('\n', at + 1);
    if (end != std::string_view::npos && end > at + 1) {
      auto rule = PosixRule::parse(bytes.substr(at + 1, end - at - 1));
      if (rule.ok()) {
        zone.m_rule = std::make_shared<PosixRule>(rule.value());
      }
    }
  }
  return zone;
}

Result<std::shared_ptr<const TimeZone>> TimeZone::load(const std::string& name) {
  if (name.empty() || name == "UTC" || name == "Etc/UTC" || name == "Z") {
    return utc();
  }
  bool valid = name.size() <= 64 && name.front() != '/' && name.find("..") == std::string::npos &&
               std::all_of(name.begin(), name.end(), [](char ch) {
                 return (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '/' ||
                        ch == '_' || ch == '-' || ch == '+';
               });
  if (!valid) {
    return fail(exit_code::k_dataerr, "'" + name + "' is not a time zone name");
  }
  static std::mutex mutex;
  static std::map<std::string, std::shared_ptr<const TimeZone>> cache;
  std::lock_guard lock(mutex);
  if (auto it = cache.find(name); it != cache.end()) {
    return it->second;
  }
  const char* dir = std::getenv("TZDIR");
  std::string path = std::string(dir && *dir ? dir : "/usr/share/zoneinfo") + "/" + name;
  std::ifstream file(path, std::ios::binary);
  if (!file) {
    return fail(exit_code::k_dataerr, "unknown time zone '" + name + "'");
  }
  std::ostringstream bytes;
  bytes << file.rdbuf();
  auto zone = parse(name, bytes.str());
  if (!zone.ok()) {
    return zone.failure();
  }
  auto shared = std::make_shared<const TimeZone>(std::move(zone.value()));
  cache.emplace(name, shared);
  return shared;
}

int32_t TimeZone::offset_at(int64_t t) const {
  if (m_times.empty()) {
    return m_rule ? m_rule->offset_at(t) : m_initial;
  }
  if (t < m_times.front()) {
    return m_initial;
  }
  size_t i = static_cast<size_t>(std::upper_bound(m_times.begin(), m_times.end(), t) - m_times.begin()) - 1;
  if (i + 1 == m_times.size() && m_rule) {
    return m_rule->offset_at(t);
  }
  return m_offsets[i];
}

LocalTime TimeZone::local(int64_t t) const {
  LocalTime out;
  out.utc_offset = offset_at(t);
  int64_t s = t + out.utc_offset;
  int64_t days = floor_div(s, k_day);
  int64_t rest = s - days * k_day;
  civil_from_days(days, out.year, out.month, out.day);
  out.hour = static_cast<int>(rest / 3600);
  out.minute = static_cast<int>(rest % 3600 / 60);
  out.second = static_cast<int>(rest % 60);
  return out;
}

} // namespace m2g::commit
