#pragma once
// The title a job gets when no model answers (LLM off, not configured, failing, or the circuit
// open): the first words of the message, so a note is always filed with a readable heading.

#include <cstddef>
#include <string>
#include <string_view>

namespace m2g::llm {

/// A fallback title has at most this many words...
inline constexpr size_t k_fallback_max_words = 8;
/// ... and at most this many bytes, "…" included, cut at a character boundary.
inline constexpr size_t k_fallback_max_bytes = 60;

/// The first words of the first non-blank line of `text`, with Markdown line markers ("# ",
/// "> ", "- ", "[ ] ") dropped, whitespace collapsed, and "…" when anything was cut. Always
/// valid UTF-8 (invalid input bytes are dropped). `empty_title` when there are no words.
std::string fallback_title(std::string_view text, std::string_view empty_title = "Untitled");

} // namespace m2g::llm
