#include "common/limit/tiers.hpp"

#include "common/core/exit_codes.hpp"
#include "common/sqlite/db.hpp"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <unordered_map>

namespace m2g::limit {
namespace {

constexpr std::string_view k_sqlite_header{"SQLite format 3\0", 16};

bool parse_number(std::string_view text, double& out) {
  std::string copy(text);
  char* end = nullptr;
  errno = 0;
  out = std::strtod(copy.c_str(), &end);
  return !copy.empty() && errno == 0 && end == copy.c_str() + copy.size() && std::isfinite(out);
}

// The checks both forms share; `where` says where the tier came from ("'t.txt' line 3").
Result<void> check_tier(const Tier& tier, const std::string& where,
                        std::unordered_map<std::string, std::string>& seen) {
  if (tier.key.empty()) {
    return fail(exit_code::k_config, where + ": empty key");
  }
  if (!(tier.rate > 0)) {
    return fail(exit_code::k_config, where + ": rate must be a positive number of lines per second");
  }
  if (!(tier.burst >= 1)) {
    return fail(exit_code::k_config, where + ": burst must be at least 1");
  }
  auto [it, inserted] = seen.emplace(tier.key, where);
  if (!inserted) {
    return fail(exit_code::k_config, where + ": key '" + tier.key + "' was already given at " + it->second);
  }
  return {};
}

std::vector<std::string_view> split_fields(std::string_view line) {
  std::vector<std::string_view> fields;
  size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t' || line[i] == '\r')) {
      ++i;
    }
    if (i >= line.size() || line[i] == '#') {
      break; // a comment runs to the end of the line
    }
    size_t start = i;
    while (i < line.size() && line[i] != ' ' && line[i] != '\t' && line[i] != '\r') {
      ++i;
    }
    fields.push_back(line.substr(start, i - start));
  }
  return fields;
}

Result<std::vector<Tier>> load_sqlite(const std::string& path) {
  sqlite::OpenOptions options;
  options.read_only = true;
  auto db = sqlite::Db::open(path, options);
  if (!db.ok()) {
    return fail(exit_code::k_config, "cannot open tiers database: " + db.error());
  }
  auto statement = db->prepare("SELECT key, rate, burst FROM tiers");
  if (!statement.ok()) {
    return fail(exit_code::k_config,
                "tiers database '" + path + "' has no usable table tiers(key, rate, burst): " + statement.error());
  }
  std::vector<Tier> tiers;
  std::unordered_map<std::string, std::string> seen;
  for (;;) {
    auto row = statement->step();
    if (!row.ok()) {
      return fail(exit_code::k_config, "cannot read tiers database '" + path + "': " + row.error());
    }
    if (!row.value()) {
      break;
    }
    Tier tier;
    std::string where = "'" + path + "' key '" + std::string(statement->column_text(0)) + "'";
    tier.key = std::string(statement->column_text(0));
    // SQLite gives a REAL as text losslessly enough for a rate; NULL or text fails to parse.
    if (statement->column_is_null(1) || !parse_number(statement->column_text(1), tier.rate)) {
      return fail(exit_code::k_config, where + ": rate is not a number");
    }
    if (statement->column_is_null(2) || !parse_number(statement->column_text(2), tier.burst)) {
      return fail(exit_code::k_config, where + ": burst is not a number");
    }
    M2G_TRY(check_tier(tier, where, seen));
    tiers.push_back(std::move(tier));
  }
  return tiers;
}

} // namespace

Result<std::vector<Tier>> parse_tiers(std::string_view text, std::string_view name) {
  std::vector<Tier> tiers;
  std::unordered_map<std::string, std::string> seen;
  size_t number = 0;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    std::string_view line = text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
    start = end == std::string_view::npos ? text.size() : end + 1;
    ++number;
    auto fields = split_fields(line);
    if (fields.empty()) {
      continue;
    }
    std::string where = "'" + std::string(name) + "' line " + std::to_string(number);
    if (fields.size() != 3) {
      return fail(exit_code::k_config, where + ": expected KEY RATE BURST, got " + std::to_string(fields.size()) +
                                           " field" + (fields.size() == 1 ? "" : "s"));
    }
    Tier tier;
    tier.key = std::string(fields[0]);
    if (!parse_number(fields[1], tier.rate)) {
      return fail(exit_code::k_config, where + ": rate '" + std::string(fields[1]) + "' is not a number");
    }
    if (!parse_number(fields[2], tier.burst)) {
      return fail(exit_code::k_config, where + ": burst '" + std::string(fields[2]) + "' is not a number");
    }
    M2G_TRY(check_tier(tier, where, seen));
    tiers.push_back(std::move(tier));
  }
  return tiers;
}

Result<std::vector<Tier>> load_tiers(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) {
    return fail(exit_code::k_config, "cannot read tiers file '" + path + "': " + std::strerror(errno));
  }
  std::ostringstream content;
  content << file.rdbuf();
  if (file.bad()) {
    return fail(exit_code::k_config, "cannot read tiers file '" + path + "': " + std::strerror(errno));
  }
  std::string text = content.str();
  if (text.compare(0, k_sqlite_header.size(), k_sqlite_header) == 0) {
    return load_sqlite(path);
  }
  return parse_tiers(text, path);
}

} // namespace m2g::limit
