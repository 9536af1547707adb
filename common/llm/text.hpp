#pragma once
// Small UTF-8 text helpers for titles and hashtags: whitespace that includes the Unicode spaces
// people type (NBSP, ideographic space), and cutting text without splitting a character or
// tearing an emoji sequence apart. The reference bot cut titles at a byte offset and produced
// invalid UTF-8 for CJK text; everything here cuts at character boundaries.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace m2g::llm {

/// The code point starting at `text[pos]` and its length in bytes; invalid or truncated
/// sequences decode as U+FFFD of length 1 so callers always advance.
struct CodePoint {
  char32_t value = 0;
  size_t length = 0;
};
CodePoint decode_at(std::string_view text, size_t pos);

/// True for ASCII whitespace and the Unicode space characters (NBSP, U+2000–U+200A, U+2028,
/// U+2029, U+202F, U+205F, U+3000).
bool is_space(char32_t c);

/// True for code points that extend the character before them (combining marks, ZWJ,
/// variation selectors, emoji skin tones, tag characters): a cut must not fall before them.
bool is_extender(char32_t c);

/// `text` without leading and trailing spaces (as is_space()).
std::string_view trim(std::string_view text);

/// The words of `text`, split at runs of is_space().
std::vector<std::string_view> split_words(std::string_view text);

/// The largest prefix of `text` of at most `max_bytes` that ends at a character boundary and
/// does not separate a base character from its extenders (or a ZWJ from what follows).
std::string_view cut_utf8(std::string_view text, size_t max_bytes);

/// `text` cut to `max_bytes` (including the ellipsis) at the last space past a third of the
/// limit, else at a character boundary, with "…" appended when anything was cut.
std::string shorten(std::string_view text, size_t max_bytes);

/// Words joined with single spaces, at most `max_words` of them; `cut` tells whether any were left out.
std::string first_words(std::string_view text, size_t max_words, bool& cut);

} // namespace m2g::llm
