#pragma once
// A fast, allocation-free JSON validator for one line. It checks RFC 8259 syntax and UTF-8 and
// picks out the few top-level fields that decide routing ("v", "kind", "id", "qid"), so a stage can
// forward a line it does not own without building a DOM: that is what makes pass-through cost
// well under a microsecond per line.

#include <cstdint>
#include <string_view>

namespace m2g::jsonl {

/// What the scanner learned about a valid line.
struct ScanInfo {
  bool is_object = false;
  bool has_version = false;
  int64_t version = 0;
  /// Raw bytes between the quotes of top-level "kind" / "id"; `*_escaped` when they hold a
  /// backslash escape and must be decoded by a real parser before comparing.
  std::string_view kind;
  bool kind_escaped = false;
  std::string_view id;
  bool id_escaped = false;
  /// Raw bytes of a top-level string "qid" (queue entry), if present.
  std::string_view qid;
  bool qid_escaped = false;
};

/// Validate `text` as exactly one JSON value. Returns nullptr on success, else a static
/// description of the first problem, with its byte offset in `error_offset`.
const char* scan(std::string_view text, ScanInfo& info, size_t& error_offset);

/// Nesting deeper than this is refused before a DOM is built from outside input (a webhook
/// body, a getUpdates answer): nlohmann's copy, dump and comparison recurse once per level, so
/// 400,000 nested brackets overflow the stack. Real Telegram updates nest about ten deep.
inline constexpr int k_max_dom_depth = 128;

/// True when no array or object in `text` nests deeper than `max_depth` levels. Only brackets
/// outside strings are counted, without recursion and without validating anything else, so
/// it is safe on any bytes; run it before json::parse, then let the parser judge the syntax.
bool nesting_within(std::string_view text, int max_depth = k_max_dom_depth);

/// Length of the longest prefix of `text` that is whole, valid UTF-8 characters.
size_t valid_utf8_prefix(std::string_view text);

/// Cut `text` to at most `max_bytes` without splitting a UTF-8 sequence.
std::string_view utf8_truncate(std::string_view text, size_t max_bytes);

} // namespace m2g::jsonl
