#pragma once
// The few top-level fields a status message needs, read straight from a line's text. A full
// parse of a result line (a DOM of some 25 nodes) cost more than everything else m2g-progress
// did with it, for six fields; the stage has already validated the line (jsonl::scan), so this
// reader only finds the keys it is asked for and skips the rest, without allocating.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace m2g::progress {

/// One top-level member's value as it stands in the text.
struct RawValue {
  enum class Type : uint8_t { absent, string, number, boolean, null, object, array };
  Type type = Type::absent;
  /// The bytes of the value: a string's without its quotes, an object's with its braces.
  std::string_view text;
  /// A string holding a backslash escape: decode it with string() before using it.
  bool escaped = false;

  bool present() const { return type != Type::absent; }
  bool is_true() const { return type == Type::boolean && text == "true"; }
  /// A string's value (escapes decoded); empty for anything else.
  std::string string() const;
  /// An integer number's value; nothing for anything else (a float, a number out of range).
  std::optional<int64_t> integer() const;
  /// Any number's value; nothing for anything else.
  std::optional<double> number() const;
};

/// Find `keys` among the top-level members of `object`, the text of one valid JSON object:
/// `values[i]` gets the last member named `keys[i]` (as a parser keeps it). False when the
/// text cannot be read this way (a key spelled with escapes): parse it for real instead.
bool find_members(std::string_view object, std::span<const std::string_view> keys, std::span<RawValue> values);

} // namespace m2g::progress
