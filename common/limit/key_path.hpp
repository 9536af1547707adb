#pragma once
// Finding the limited key in a line without building a DOM: `--key from.id` names a field by a
// dotted path, and the value is picked out of the raw bytes by a walker that skips everything
// else. A stage limiting a million lines a second cannot afford a JSON parse per line.

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace m2g::limit {

/// What a KeyPath found in a line.
struct KeyValue {
  enum class Type { missing, string, other };
  Type type = Type::missing;
  /// For strings: the bytes between the quotes (still escaped when `escaped`); otherwise the
  /// value's raw JSON text (a number, true, false, an object or array).
  std::string_view raw;
  bool escaped = false;
  bool missing() const { return type == Type::missing; }
};

/// A dotted path ("user_id", "from.id") into a JSON object.
class KeyPath {
public:
  /// Throws std::invalid_argument when the path is empty or has an empty segment.
  explicit KeyPath(std::string_view dotted);

  /// The value at the path in `line` (one valid JSON object). The first occurrence of a field
  /// counts; a path through a non-object, or to a null, is missing.
  KeyValue find(std::string_view line) const;

  const std::string& text() const { return m_text; }

private:
  /// The common case in a few vectorized library calls: a top-level field, no escapes or nesting
  /// before it. False when it cannot tell (the walker decides).
  bool find_fast(std::string_view line, KeyValue& out) const;

  /// Where m_quoted first occurs in `line` (Horspool: ~1/8 of the bytes are looked at), or npos.
  size_t search(std::string_view line) const;

  std::string m_text;
  std::string m_quoted;            // "\"user_id\"", for the fast path
  std::array<uint8_t, 256> m_skip; // Horspool's shift for each byte at the window's end
  std::vector<std::string> m_segments;
};

/// The key as text: a string's characters (escapes decoded), or the raw JSON of another value.
/// A number 42 and a string "42" are the same key. Uses `scratch` only when decoding.
std::string_view canonical_key(const KeyValue& value, std::string& scratch);

/// A seeded 64-bit hash of a key's canonical text. The table stores the hash, not the string;
/// 0 and 1 are never returned (they mean "empty slot" and "no key").
class KeyHasher {
public:
  explicit KeyHasher(uint64_t seed) : m_seed(seed) {}
  uint64_t operator()(std::string_view key) const;
  uint64_t seed() const { return m_seed; }

private:
  uint64_t m_seed;
};

/// The hash shared by every line that lacks the key field: one bucket for all of them.
inline constexpr uint64_t k_no_key_hash = 1;

} // namespace m2g::limit
