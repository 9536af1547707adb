#pragma once
// Text as Telegram measures it. Telegram limits a message to 4096 characters *after entity
// parsing*, counted in UTF-16 code units (an emoji outside the BMP counts twice), and rejects
// HTML it cannot parse. These helpers escape what we echo, measure what Telegram will count,
// and shorten at a character boundary, never inside a UTF-8 sequence (weakness 24 of the
// reference bot: byte truncation left CJK titles as invalid UTF-8).

#include <cstddef>
#include <string>
#include <string_view>

namespace m2g::progress {

/// Telegram's limit on a message text (sendMessage, editMessageText), in UTF-16 code units.
inline constexpr size_t k_max_message_units = 4096;
/// Telegram's limit on an answerCallbackQuery notification text.
inline constexpr size_t k_max_callback_units = 200;

/// `text` with &, < and > (and " for attribute values) replaced by HTML entities: safe to put
/// inside a parse_mode "HTML" message whatever the person typed.
std::string escape_html(std::string_view text);

/// The length Telegram counts for plain `text`: UTF-16 code units. Invalid bytes count one each.
size_t utf16_length(std::string_view text);

/// `text` cut to at most `max_units` UTF-16 code units at a character boundary, ending in "…"
/// when something was cut. Text that fits is returned unchanged.
std::string fit_plain(std::string_view text, size_t max_units);

/// The visible text of an HTML-formatted message: tags removed, the entities Telegram knows
/// (&lt; &gt; &amp; &quot; and numeric ones) decoded.
std::string html_to_plain(std::string_view html);

} // namespace m2g::progress
