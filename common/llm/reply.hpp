#pragma once
// Reading what a model wrote. Models asked for JSON still wrap it in code fences, put prose
// around it, think aloud in <think> blocks, use "tags" instead of "hashtags", forget the '#',
// return more tags than asked, or give a number where a string belongs. The parser takes the
// first JSON object that carries a usable title and normalizes the rest; anything else is "no
// usable reply" (the caller retries, then falls back).

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace m2g::llm {

/// At most this many hashtags are kept from a reply.
inline constexpr size_t k_max_hashtags = 3;
/// A model's title is cut to this many words and bytes (the prompt asks for 8 words).
inline constexpr size_t k_max_title_words = 12;
inline constexpr size_t k_max_title_bytes = 120;
/// One hashtag is cut to this many bytes.
inline constexpr size_t k_max_hashtag_bytes = 40;

/// A usable reply: a non-empty title and 0 to 3 "#tags".
struct TitleReply {
  std::string title;
  std::vector<std::string> hashtags;
};

/// Parse a model's message content; nullopt when it holds no usable title.
std::optional<TitleReply> parse_title_reply(std::string_view content);

/// `raw` as a hashtag ("#word", spaces as '_', punctuation dropped), or "" if nothing is left.
std::string normalize_hashtag(std::string_view raw);

/// A model's title cleaned: whitespace collapsed, wrapping quotes and a "Title:" label
/// dropped, no final period, cut to k_max_title_words / k_max_title_bytes.
std::string normalize_title(std::string_view raw);

} // namespace m2g::llm
