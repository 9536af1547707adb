#pragma once
// IANA time zones without touching the process environment: entries carry the chat's local
// time, and setenv("TZ") + localtime_r would race with every other thread that reads the
// environment (libgit2 and libcurl do). Zones are read from the system's compiled tzdata
// (TZif files, RFC 8536), including the POSIX rule at their end for times past the table.

#include "common/core/error.hpp"

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace m2g::commit {

/// A broken-down local time.
struct LocalTime {
  int year = 1970, month = 1, day = 1, hour = 0, minute = 0, second = 0;
  int32_t utc_offset = 0; ///< seconds east of UTC
};

/// A POSIX TZ rule such as "CET-1CEST,M3.5.0,M10.5.0/3" (the TZif footer).
class PosixRule {
public:
  /// Parse a rule; fails on anything POSIX does not allow.
  static Result<PosixRule> parse(std::string_view text);
  /// Seconds east of UTC at Unix time `t`.
  int32_t offset_at(int64_t t) const;

private:
  struct Boundary {
    char kind = 'M'; // 'J' (1..365, no Feb 29), 'N' (0..365), 'M' (month.week.day)
    int a = 0, b = 0, c = 0;
    int32_t time = 7200; // seconds after local midnight
  };
  int64_t boundary_utc(const Boundary& boundary, int year, int32_t offset_before) const;

  int32_t m_std = 0; // seconds east of UTC
  int32_t m_dst = 0;
  bool m_has_dst = false;
  Boundary m_start, m_end;
};

/// One zone: its transitions and the rule that continues them.
class TimeZone {
public:
  /// "UTC".
  static std::shared_ptr<const TimeZone> utc();
  /// Load `name` (e.g. "Europe/Berlin") from `$TZDIR` or /usr/share/zoneinfo, cached. Fails
  /// for names that are not zone names (no "..", no leading "/") or that have no file.
  static Result<std::shared_ptr<const TimeZone>> load(const std::string& name);
  /// Parse the bytes of a TZif file.
  static Result<TimeZone> parse(const std::string& name, std::string_view bytes);

  const std::string& name() const { return m_name; }
  /// Seconds east of UTC at Unix time `t`.
  int32_t offset_at(int64_t t) const;
  /// The local time at Unix time `t`.
  LocalTime local(int64_t t) const;

private:
  std::string m_name = "UTC";
  std::vector<int64_t> m_times;      // transition instants, ascending
  std::vector<int32_t> m_offsets;    // offset in force from m_times[i]
  int32_t m_initial = 0;             // offset before the first transition
  std::shared_ptr<PosixRule> m_rule; // after the last transition, when the file has one
};

/// Civil date of a day count since 1970-01-01 (proleptic Gregorian).
void civil_from_days(int64_t days, int& year, int& month, int& day);
/// Day count since 1970-01-01 of a civil date.
int64_t days_from_civil(int year, int month, int day);

} // namespace m2g::commit
