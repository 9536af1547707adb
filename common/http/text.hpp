#pragma once
// Character-level helpers shared by the HTTP parsers and the URL codec (RFC 9110 tokens,
// optional whitespace, hex digits). Internal to common/http.

#include <cstdint>
#include <string_view>

namespace m2g::http::text {

/// A "tchar" of RFC 9110 §5.6.2: the characters of methods and header names.
inline bool is_tchar(unsigned char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
    return true;
  }
  return std::string_view("!#$%&'*+-.^_`|~").find(static_cast<char>(c)) != std::string_view::npos;
}

/// A non-empty run of tchars.
inline bool is_token(std::string_view text) {
  if (text.empty()) {
    return false;
  }
  for (char c : text) {
    if (!is_tchar(static_cast<unsigned char>(c))) {
      return false;
    }
  }
  return true;
}

/// `text` without leading and trailing spaces and tabs (HTTP's "OWS").
inline std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) {
    text.remove_prefix(1);
  }
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) {
    text.remove_suffix(1);
  }
  return text;
}

/// `line` without one final '\r' (lines are split at '\n'; bare LF is tolerated).
inline std::string_view strip_cr(std::string_view line) {
  if (!line.empty() && line.back() == '\r') {
    line.remove_suffix(1);
  }
  return line;
}

/// A Content-Length value: digits only, at most 18 of them ("+5", "5 5" and "5,5" are the
/// stuff of request smuggling). Leaves `out` alone when false.
inline bool parse_decimal(std::string_view text, uint64_t& out) {
  if (text.empty() || text.size() > 18) {
    return false;
  }
  uint64_t value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') {
      return false;
    }
    value = value * 10 + static_cast<uint64_t>(c - '0');
  }
  out = value;
  return true;
}

/// The value of a hex digit, or -1.
inline int hex_digit(char c) {
  if (c >= '0' && c <= '9') {
    return c - '0';
  }
  if (c >= 'a' && c <= 'f') {
    return c - 'a' + 10;
  }
  if (c >= 'A' && c <= 'F') {
    return c - 'A' + 10;
  }
  return -1;
}

} // namespace m2g::http::text
