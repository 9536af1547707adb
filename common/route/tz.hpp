#pragma once
// Time zones for /tz and for counting a chat's activity per local day. A zone is valid when
// the system's zoneinfo database (TZDIR, else /usr/share/zoneinfo) has a TZif file of that
// name; names are checked before they touch the file system.

#include <cstdint>
#include <string>
#include <string_view>

namespace m2g::route {

/// True when `name` ("Europe/Berlin", "UTC") is a zone of the system's database.
bool valid_tz(std::string_view name);

/// Days since 1970-01-01 of `unix_seconds` in zone `tz` ("" or an unknown zone: UTC).
int64_t local_day(int64_t unix_seconds, const std::string& tz);

/// "YYYY-MM-DD" of a day number.
std::string day_string(int64_t day);

} // namespace m2g::route
