#pragma once
// Text for Telegram replies: HTML escaping for parse_mode "HTML", lengths as Telegram counts
// them (UTF-16 code units), and shortening that never cuts inside a UTF-8 sequence.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace m2g::route {

/// Telegram's limit on a message text, in UTF-16 code units.
inline constexpr size_t k_max_message_units = 4096;

/// `text` with &, < and > (and ") escaped for Telegram's HTML parse mode.
std::string html_escape(std::string_view text);

/// Length of UTF-8 `text` in UTF-16 code units (what Telegram's limits count). Invalid bytes
/// count one unit each.
size_t utf16_length(std::string_view text);

/// Byte length of the longest prefix of `text` that is whole characters and at most
/// `max_units` UTF-16 code units.
size_t utf16_prefix_bytes(std::string_view text, size_t max_units);

/// `text` cut to at most `max_units` UTF-16 code units at a character boundary, ending in "…"
/// when something was cut (the ellipsis counts toward the limit).
std::string shorten(std::string_view text, size_t max_units);

/// The first line of `text`, shortened to `max_units`.
std::string first_line(std::string_view text, size_t max_units);

/// Split a reply into messages of at most `max_units` each, at line breaks where possible
/// (an overlong line is cut at a character boundary). Lines must each be balanced HTML.
std::vector<std::string> split_message(std::string_view text, size_t max_units = k_max_message_units);

/// Decode one UTF-8 character at `pos`; returns its code point and advances `pos`. Invalid
/// bytes decode as U+FFFD and advance by one.
char32_t next_code_point(std::string_view text, size_t& pos);

/// ASCII lowercase.
std::string lower(std::string_view text);

/// `text` without leading and trailing ASCII whitespace.
std::string_view trim(std::string_view text);

/// Split on runs of ASCII whitespace.
std::vector<std::string> words(std::string_view text);

} // namespace m2g::route
