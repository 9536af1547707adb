#pragma once
// Text that goes into a notebook file: written as the person gave it (Markdown stays
// Markdown), but never able to break the file's structure. Entry markers are HTML comments
// ("<!--[MSG] [CHAT] ...-->"), so a message may not open or close one; the escape used is an
// HTML entity, which every Markdown renderer shows as the very characters the person typed.

#include <string>
#include <string_view>
#include <vector>

namespace m2g::commit {

/// `text` safe to embed: "<!--" → "&lt;!--", "-->" → "--&gt;", CRLF and CR → LF, control
/// bytes other than tab and newline dropped, leading blank lines and trailing whitespace
/// trimmed.
std::string neutralize(std::string_view text);

/// `text` on one line: newlines and tabs become spaces, runs of spaces collapse, trimmed.
std::string one_line(std::string_view text);

/// `text` without leading and trailing spaces, tabs and newlines.
std::string trim(std::string_view text);

/// A title from the first words of `text` when no one gave one: its first non-empty line
/// without Markdown heading or list marks, cut at a word (or at least a UTF-8 character)
/// boundary within `max_bytes`, with "…" when cut. "Untitled" when `text` has no words.
std::string fallback_title(std::string_view text, size_t max_bytes = 60);

/// Hashtags as "#word": a missing "#" is added, tags with characters other than letters,
/// digits, "_" and "-" (any non-ASCII UTF-8 counts as a letter) are dropped, as are
/// duplicates; at most `max` are kept.
std::vector<std::string> clean_hashtags(const std::vector<std::string>& tags, size_t max = 10);

/// `text` for Telegram's HTML parse mode: & < > escaped.
std::string html_escape(std::string_view text);

/// `text` usable as a Markdown link or image text on one line: "[", "]" and "\" escaped.
std::string link_text(std::string_view text);

} // namespace m2g::commit
