#pragma once
// GitHub's timestamps: "2024-11-25T10:40:00Z" (UTC, whole seconds).

#include <cstdint>
#include <optional>
#include <string>

namespace m2g::github {

/// "YYYY-MM-DDTHH:MM:SSZ" for Unix seconds.
std::string iso8601(int64_t unix_s);
/// Unix seconds of "YYYY-MM-DDTHH:MM:SS..." (the zone is taken as UTC); nullopt otherwise.
std::optional<int64_t> parse_iso8601(const std::string& text);

} // namespace m2g::github
