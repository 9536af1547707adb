#pragma once
// Per-key rate tiers (premium users get more): key → rate, burst, read from a text file or a
// SQLite table. Loaded at startup (a bad file is a configuration error) and again on SIGHUP
// (a bad file then keeps the tiers in use).

#include "common/core/error.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace m2g::limit {

/// One key's own per-key limit.
struct Tier {
  std::string key;  ///< the key's canonical text (a user id "42", a string's characters)
  double rate = 0;  ///< tokens per second, > 0
  double burst = 0; ///< tokens, ≥ 1
};

/// Read `path`: a SQLite database (recognised by its header) with a table
/// `tiers(key TEXT PRIMARY KEY, rate REAL, burst REAL)`, or a text file of `KEY RATE BURST`
/// lines (blank lines and `#` comments allowed). Fails with exit code 78 and a message that
/// names the file and line.
Result<std::vector<Tier>> load_tiers(const std::string& path);

/// Parse the text form; `name` (the file's name) prefixes error messages.
Result<std::vector<Tier>> parse_tiers(std::string_view text, std::string_view name);

} // namespace m2g::limit
