#include "common/jsonl/scan.hpp"

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>

namespace m2g::jsonl {
namespace {

// Nesting deeper than this is refused rather than recursed into: a hostile line must not be able
// to overflow the stack.
constexpr int k_max_depth = 256;

/// Decode the UTF-8 sequence starting at p[0]; returns its length, or 0 if it is not valid
/// (overlong, a surrogate, above U+10FFFF, truncated).
size_t utf8_sequence_length(const unsigned char* p, const unsigned char* end) {
  unsigned char c = p[0];
  if (c < 0x80) {
    return 1;
  }
  size_t avail = static_cast<size_t>(end - p);
  auto cont = [&](size_t i) { return i < avail && (p[i] & 0xC0) == 0x80; };
  if (c >= 0xC2 && c <= 0xDF) {
    return cont(1) ? 2 : 0;
  }
  if (c >= 0xE0 && c <= 0xEF) {
    if (!cont(1) || !cont(2)) {
      return 0;
    }
    if (c == 0xE0 && p[1] < 0xA0) {
      return 0; // overlong
    }
    if (c == 0xED && p[1] >= 0xA0) {
      return 0; // UTF-16 surrogate
    }
    return 3;
  }
  if (c >= 0xF0 && c <= 0xF4) {
    if (!cont(1) || !cont(2) || !cont(3)) {
      return 0;
    }
    if (c == 0xF0 && p[1] < 0x90) {
      return 0; // overlong
    }
    if (c == 0xF4 && p[1] >= 0x90) {
      return 0; // above U+10FFFF
    }
    return 4;
  }
  return 0;
}

int hex_value(unsigned char c) {
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

class Scanner {
public:
  Scanner(std::string_view text, ScanInfo& info)
      : m_begin(reinterpret_cast<const unsigned char*>(text.data())), m_p(m_begin), m_end(m_begin + text.size()),
        m_info(info) {}

  const char* run(size_t& error_offset) {
    skip_ws();
    if (m_p < m_end && *m_p == '{') {
      m_info.is_object = true;
    }
    const char* err = value(0);
    if (!err) {
      skip_ws();
      if (m_p != m_end) {
        err = "unexpected data after the JSON value";
      }
    }
    error_offset = static_cast<size_t>(m_p - m_begin);
    return err;
  }

private:
  void skip_ws() {
    while (m_p < m_end && (*m_p == ' ' || *m_p == '\t' || *m_p == '\n' || *m_p == '\r')) {
      ++m_p;
    }
  }

  const char* value(int depth) {
    skip_ws();
    if (m_p >= m_end) {
      return "unexpected end of line";
    }
    switch (*m_p) {
    case '{':
      return object(depth + 1);
    case '[':
      return array(depth + 1);
    case '"': {
      bool escaped = false;
      return string(escaped);
    }
    case 't':
      return literal("true");
    case 'f':
      return literal("false");
    case 'n':
      return literal("null");
    default:
      return number();
    }
  }

  const char* literal(std::string_view word) {
    if (static_cast<size_t>(m_end - m_p) < word.size() ||
        std::string_view(reinterpret_cast<const char*>(m_p), word.size()) != word) {
      return "invalid literal";
    }
    m_p += word.size();
    return nullptr;
  }

  const char* number() {
    const unsigned char* start = m_p;
    if (m_p < m_end && *m_p == '-') {
      ++m_p;
    }
    if (m_p >= m_end) {
      return "invalid number";
    }
    if (*m_p == '0') {
      ++m_p;
    } else if (*m_p >= '1' && *m_p <= '9') {
      while (m_p < m_end && *m_p >= '0' && *m_p <= '9') {
        ++m_p;
      }
    } else {
      m_p = start;
      return "invalid value";
    }
    size_t integer_digits = static_cast<size_t>(m_p - start);
    if (m_p < m_end && *m_p == '.') {
      ++m_p;
      if (m_p >= m_end || *m_p < '0' || *m_p > '9') {
        return "invalid number";
      }
      while (m_p < m_end && *m_p >= '0' && *m_p <= '9') {
        ++m_p;
      }
    }
    if (m_p < m_end && (*m_p == 'e' || *m_p == 'E')) {
      ++m_p;
      if (m_p < m_end && (*m_p == '+' || *m_p == '-')) {
        ++m_p;
      }
      if (m_p >= m_end || *m_p < '0' || *m_p > '9') {
        return "invalid number";
      }
      while (m_p < m_end && *m_p >= '0' && *m_p <= '9') {
        ++m_p;
      }
      return finite(start) ? nullptr : "number overflow";
    }
    // Without an exponent only a very long integer part can exceed a double's range.
    if (integer_digits > 300 && !finite(start)) {
      return "number overflow";
    }
    return nullptr;
  }

  // A parser that reads numbers as doubles refuses one that overflows (1e999); so must the
  // scanner, or the fast path would forward a line no stage can parse.
  bool finite(const unsigned char* start) const {
    std::string token(reinterpret_cast<const char*>(start), static_cast<size_t>(m_p - start));
    return std::isfinite(std::strtod(token.c_str(), nullptr));
  }

  // Leaves m_p after the closing quote; `escaped` tells whether a backslash occurred.
  const char* string(bool& escaped) {
    ++m_p; // opening quote
    while (true) {
      // Fast path: plain ASCII bytes.
      while (m_p < m_end && *m_p >= 0x20 && *m_p < 0x80 && *m_p != '"' && *m_p != '\\') {
        ++m_p;
      }
      if (m_p >= m_end) {
        return "unterminated string";
      }
      unsigned char c = *m_p;
      if (c == '"') {
        ++m_p;
        return nullptr;
      }
      if (c < 0x20) {
        return "control character in string";
      }
      if (c == '\\') {
        escaped = true;
        if (const char* err = escape()) {
          return err;
        }
        continue;
      }
      size_t n = utf8_sequence_length(m_p, m_end);
      if (n == 0) {
        return "invalid UTF-8";
      }
      m_p += n;
    }
  }

  const char* escape() {
    ++m_p; // backslash
    if (m_p >= m_end) {
      return "unterminated string";
    }
    switch (*m_p) {
    case '"':
    case '\\':
    case '/':
    case 'b':
    case 'f':
    case 'n':
    case 'r':
    case 't':
      ++m_p;
      return nullptr;
    case 'u': {
      int unit = hex4(m_p + 1);
      if (unit < 0) {
        return "invalid \\u escape";
      }
      m_p += 5;
      if (unit >= 0xDC00 && unit <= 0xDFFF) {
        return "lone low surrogate in \\u escape";
      }
      if (unit >= 0xD800 && unit <= 0xDBFF) {
        if (m_end - m_p < 6 || m_p[0] != '\\' || m_p[1] != 'u') {
          return "lone high surrogate in \\u escape";
        }
        int low = hex4(m_p + 2);
        if (low < 0xDC00 || low > 0xDFFF) {
          return "invalid surrogate pair in \\u escape";
        }
        m_p += 6;
      }
      return nullptr;
    }
    default:
      return "invalid escape in string";
    }
  }

  int hex4(const unsigned char* p) const {
    if (m_end - p < 4) {
      return -1;
    }
    int v = 0;
    for (int i = 0; i < 4; ++i) {
      int h = hex_value(p[i]);
      if (h < 0) {
        return -1;
      }
      v = v * 16 + h;
    }
    return v;
  }

  const char* object(int depth) {
    if (depth > k_max_depth) {
      return "nesting too deep";
    }
    ++m_p; // {
    skip_ws();
    if (m_p < m_end && *m_p == '}') {
      ++m_p;
      return nullptr;
    }
    while (true) {
      skip_ws();
      if (m_p >= m_end || *m_p != '"') {
        return "expected a string key";
      }
      const unsigned char* key_start = m_p + 1;
      bool key_escaped = false;
      if (const char* err = string(key_escaped)) {
        return err;
      }
      std::string_view key(reinterpret_cast<const char*>(key_start), static_cast<size_t>(m_p - 1 - key_start));
      skip_ws();
      if (m_p >= m_end || *m_p != ':') {
        return "expected ':' after key";
      }
      ++m_p;
      skip_ws();
      const unsigned char* value_start = m_p;
      bool top = depth == 1 && !key_escaped;
      if (top && m_p < m_end && *m_p == '"' && (key == "kind" || key == "id" || key == "qid")) {
        bool escaped = false;
        if (const char* err = string(escaped)) {
          return err;
        }
        std::string_view raw(reinterpret_cast<const char*>(value_start + 1),
                             static_cast<size_t>(m_p - 2 - value_start));
        if (key == "kind") {
          m_info.kind = raw;
          m_info.kind_escaped = escaped;
        } else if (key == "qid") {
          m_info.qid = raw;
          m_info.qid_escaped = escaped;
        } else {
          m_info.id = raw;
          m_info.id_escaped = escaped;
        }
      } else {
        if (const char* err = value(depth)) {
          return err;
        }
        if (top && key == "v") {
          record_version(value_start);
        }
      }
      skip_ws();
      if (m_p >= m_end) {
        return "unterminated object";
      }
      if (*m_p == ',') {
        ++m_p;
        continue;
      }
      if (*m_p == '}') {
        ++m_p;
        return nullptr;
      }
      return "expected ',' or '}' in object";
    }
  }

  void record_version(const unsigned char* start) {
    int64_t v = 0;
    const unsigned char* p = start;
    if (p >= m_p || *p < '0' || *p > '9') {
      return;
    }
    while (p < m_p && *p >= '0' && *p <= '9' && v < 1'000'000) {
      v = v * 10 + (*p - '0');
      ++p;
    }
    if (p == m_p) {
      m_info.has_version = true;
      m_info.version = v;
    }
  }

  const char* array(int depth) {
    if (depth > k_max_depth) {
      return "nesting too deep";
    }
    ++m_p; // [
    skip_ws();
    if (m_p < m_end && *m_p == ']') {
      ++m_p;
      return nullptr;
    }
    while (true) {
      if (const char* err = value(depth)) {
        return err;
      }
      skip_ws();
      if (m_p >= m_end) {
        return "unterminated array";
      }
      if (*m_p == ',') {
        ++m_p;
        continue;
      }
      if (*m_p == ']') {
        ++m_p;
        return nullptr;
      }
      return "expected ',' or ']' in array";
    }
  }

  const unsigned char* m_begin;
  const unsigned char* m_p;
  const unsigned char* m_end;
  ScanInfo& m_info;
};

} // namespace

const char* scan(std::string_view text, ScanInfo& info, size_t& error_offset) {
  info = ScanInfo{};
  Scanner scanner(text, info);
  return scanner.run(error_offset);
}

bool nesting_within(std::string_view text, int max_depth) {
  int depth = 0;
  bool in_string = false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (in_string) {
      if (c == '\\') {
        ++i; // the escaped character cannot end the string
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > max_depth) {
        return false;
      }
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return true;
}

size_t valid_utf8_prefix(std::string_view text) {
  auto* begin = reinterpret_cast<const unsigned char*>(text.data());
  auto* end = begin + text.size();
  auto* p = begin;
  while (p < end) {
    // ASCII, eight bytes at a time: a notebook file of ten thousand entries is mostly ASCII,
    // and m2g-commit checks all of it before writing it into a request.
    while (end - p >= 8) {
      uint64_t word;
      std::memcpy(&word, p, sizeof word);
      if (word & 0x8080808080808080ULL) {
        break;
      }
      p += 8;
    }
    if (p == end) {
      break;
    }
    size_t n = utf8_sequence_length(p, end);
    if (n == 0) {
      break;
    }
    p += n;
  }
  return static_cast<size_t>(p - begin);
}

std::string_view utf8_truncate(std::string_view text, size_t max_bytes) {
  if (text.size() <= max_bytes) {
    return text;
  }
  size_t cut = max_bytes;
  // Step back over continuation bytes to the start of the character that straddles the cut.
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) {
    --cut;
  }
  return text.substr(0, cut);
}

} // namespace m2g::jsonl
