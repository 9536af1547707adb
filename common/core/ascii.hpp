#pragma once
// ASCII case folding for protocol text: URL schemes and hosts, header names, error
// descriptions, command words. Locale-free on purpose: `std::tolower` follows the C locale,
// and bytes of UTF-8 text must pass through unchanged whatever the locale says.

#include <string>
#include <string_view>

namespace m2g {

inline char ascii_lower(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

inline std::string ascii_lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    c = ascii_lower(c);
  }
  return out;
}

} // namespace m2g
