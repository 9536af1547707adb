#include "common/limit/key_path.hpp"

#include <algorithm>
#include <array>
#include <cstring>
#include <nlohmann/json.hpp>
#include <stdexcept>

namespace m2g::limit {
namespace {

constexpr std::array<bool, 256> make_scalar_ends() {
  std::array<bool, 256> ends{};
  for (unsigned char c : {',', '}', ']', ' ', '\t', '\r', '\n'}) {
    ends[c] = true;
  }
  return ends;
}
constexpr std::array<bool, 256> k_ends_scalar = make_scalar_ends();

// The walker trusts that the line passed the contract's scanner (jsonl::decode), but every step
// is bounds-checked anyway: on anything unexpected it reports the key missing, never reads past
// the end.
class Walker {
public:
  explicit Walker(std::string_view text) : m_p(text.data()), m_end(text.data() + text.size()) {}

  /// At a member name's closing quote + 1: the member's value (after ':').
  KeyValue member_value() {
    skip_ws();
    if (!at(':')) {
      return {};
    }
    ++m_p;
    skip_ws();
    return value();
  }

  KeyValue find(const std::vector<std::string>& segments) {
    for (size_t depth = 0; depth < segments.size(); ++depth) {
      skip_ws();
      if (!at('{')) {
        return {};
      }
      ++m_p;
      if (!find_field(segments[depth])) {
        return {};
      }
    }
    return value();
  }

private:
  bool at(char c) const { return m_p < m_end && *m_p == c; }

  void skip_ws() {
    while (m_p < m_end && (*m_p == ' ' || *m_p == '\t' || *m_p == '\n' || *m_p == '\r')) {
      ++m_p;
    }
  }

  // At the first byte after an opening quote: returns the string's bytes, leaves m_p after the
  // closing quote. Keys and field names are short, so a plain loop beats memchr's setup.
  bool string_body(std::string_view& body, bool& escaped) {
    const char* start = m_p;
    escaped = false;
    while (m_p < m_end) {
      char c = *m_p;
      if (c == '"') {
        body = std::string_view(start, static_cast<size_t>(m_p - start));
        ++m_p;
        return true;
      }
      if (c == '\\') {
        if (m_end - m_p < 2) {
          return false;
        }
        escaped = true;
        m_p += 2; // the escaped character, whatever it is, cannot end the string
        continue;
      }
      ++m_p;
    }
    return false;
  }

  // Inside an object, just after '{': moves m_p to the value of field `name`.
  bool find_field(const std::string& name) {
    for (;;) {
      skip_ws();
      if (!at('"')) {
        return false; // '}' (not found) or not JSON
      }
      ++m_p;
      std::string_view field;
      bool escaped = false;
      if (!string_body(field, escaped)) {
        return false;
      }
      skip_ws();
      if (!at(':')) {
        return false;
      }
      ++m_p;
      skip_ws();
      if (field == name || (escaped && decode(field) == name)) {
        return true;
      }
      if (!skip_value()) {
        return false;
      }
      skip_ws();
      if (!at(',')) {
        return false;
      }
      ++m_p;
    }
  }

  bool skip_value() {
    if (m_p >= m_end) {
      return false;
    }
    if (*m_p == '"') {
      ++m_p;
      std::string_view body;
      bool escaped = false;
      return string_body(body, escaped);
    }
    if (*m_p == '{' || *m_p == '[') {
      int depth = 0;
      while (m_p < m_end) {
        char c = *m_p++;
        if (c == '"') {
          std::string_view body;
          bool escaped = false;
          if (!string_body(body, escaped)) {
            return false;
          }
        } else if (c == '{' || c == '[') {
          ++depth;
        } else if (c == '}' || c == ']') {
          if (--depth == 0) {
            return true;
          }
        }
      }
      return false;
    }
    // A number or literal runs to the next delimiter or blank.
    while (m_p < m_end && !k_ends_scalar[static_cast<unsigned char>(*m_p)]) {
      ++m_p;
    }
    return true;
  }

  KeyValue value() {
    KeyValue out;
    if (m_p >= m_end) {
      return out;
    }
    if (*m_p == '"') {
      ++m_p;
      if (!string_body(out.raw, out.escaped)) {
        return {};
      }
      out.type = KeyValue::Type::string;
      return out;
    }
    const char* start = m_p;
    if (!skip_value()) {
      return {};
    }
    out.raw = std::string_view(start, static_cast<size_t>(m_p - start));
    if (out.raw.empty() || out.raw == "null") {
      return {};
    }
    out.type = KeyValue::Type::other;
    return out;
  }

  static std::string decode(std::string_view escaped) {
    try {
      return nlohmann::json::parse("\"" + std::string(escaped) + "\"").get<std::string>();
    } catch (const nlohmann::json::exception&) {
      return {};
    }
  }

  const char* m_p;
  const char* m_end;
};

uint64_t mix(uint64_t x) {
  // The splitmix64 finalizer: every input bit moves every output bit.
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ULL;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebULL;
  x ^= x >> 31;
  return x;
}

} // namespace

KeyPath::KeyPath(std::string_view dotted) : m_text(dotted), m_quoted("\"" + std::string(dotted) + "\"") {
  size_t start = 0;
  for (;;) {
    size_t dot = dotted.find('.', start);
    std::string_view segment =
        dotted.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
    if (segment.empty()) {
      throw std::invalid_argument("key path '" + std::string(dotted) + "' has an empty field name");
    }
    m_segments.emplace_back(segment);
    if (dot == std::string_view::npos) {
      break;
    }
    start = dot + 1;
  }
  size_t m = m_quoted.size();
  m_skip.fill(static_cast<uint8_t>(std::min<size_t>(m, 255)));
  for (size_t i = 0; i + 1 < m && m <= 255; ++i) {
    m_skip[static_cast<unsigned char>(m_quoted[i])] = static_cast<uint8_t>(m - 1 - i);
  }
}

size_t KeyPath::search(std::string_view line) const {
  size_t m = m_quoted.size();
  if (m > line.size() || m > 255) {
    return m > 255 ? line.find(m_quoted) : std::string_view::npos;
  }
  const char* text = line.data();
  unsigned char last = static_cast<unsigned char>(m_quoted[m - 1]);
  for (size_t i = 0; i + m <= line.size();) {
    unsigned char end = static_cast<unsigned char>(text[i + m - 1]);
    if (end == last && std::memcmp(text + i, m_quoted.data(), m - 1) == 0) {
      return i;
    }
    i += m_skip[end];
  }
  return std::string_view::npos;
}

bool KeyPath::find_fast(std::string_view line, KeyValue& out) const {
  // The line passed the contract's scanner, so every '"' outside a string is a delimiter and
  // every '"' inside one is escaped. With no '\\' before the match there are no escapes, with no
  // '{' (but the first) and no '[' there is no nesting: the match is a member name at the top
  // level exactly when a '{' or ',' precedes it. Anything else goes to the walker.
  size_t at = search(line);
  if (at == std::string_view::npos) {
    return false;
  }
  size_t open = line.find_first_not_of(" \t\r\n");
  if (open >= at || line[open] != '{') {
    return false;
  }
  const char* inner = line.data() + open + 1;
  size_t inner_size = at - open - 1;
  if (std::memchr(inner, '{', inner_size) || std::memchr(inner, '[', inner_size) ||
      std::memchr(inner, '\\', inner_size)) {
    return false;
  }
  size_t before = line.find_last_not_of(" \t\r\n", at - 1);
  if (line[before] != '{' && line[before] != ',') {
    return false;
  }
  out = Walker(line.substr(at + m_quoted.size())).member_value();
  return true;
}

KeyValue KeyPath::find(std::string_view line) const {
  KeyValue out;
  if (m_segments.size() == 1 && find_fast(line, out)) {
    return out;
  }
  return Walker(line).find(m_segments);
}

std::string_view canonical_key(const KeyValue& value, std::string& scratch) {
  if (value.type != KeyValue::Type::string || !value.escaped) {
    return value.raw;
  }
  try {
    scratch = nlohmann::json::parse("\"" + std::string(value.raw) + "\"").get<std::string>();
  } catch (const nlohmann::json::exception&) {
    scratch.assign(value.raw);
  }
  return scratch;
}

uint64_t KeyHasher::operator()(std::string_view key) const {
  uint64_t h = m_seed ^ (key.size() * 0x9e3779b97f4a7c15ULL);
  const char* p = key.data();
  size_t n = key.size();
  while (n >= 8) {
    uint64_t chunk = 0;
    std::memcpy(&chunk, p, 8);
    h = mix(h ^ chunk);
    p += 8;
    n -= 8;
  }
  if (n > 0) {
    uint64_t chunk = 0;
    std::memcpy(&chunk, p, n);
    h = mix(h ^ chunk ^ (uint64_t{n} << 56));
  }
  h = mix(h);
  return h < 2 ? h + 2 : h;
}

} // namespace m2g::limit
