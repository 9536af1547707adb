#pragma once
// Telegram text plus its formatting entities → the Markdown that goes into the notebook (job
// field "text"). Entity offsets and lengths count UTF-16 code units, so emoji and other
// characters outside the BMP shift them; a text without formatting entities comes out byte for
// byte as it went in.

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace m2g::route {

/// Render bold, italic, underline, strikethrough, code, pre and text_link entities as
/// Markdown. Other entities (urls, mentions, hashtags, spoilers...) leave their text as is;
/// entities that do not fit the text are ignored.
std::string to_markdown(std::string_view text, const nlohmann::json& entities);

/// Remove the first `bytes` bytes (whole characters) of `text` and move `entities` to match:
/// entities inside the removed part are dropped, ones that straddle it are clipped.
void drop_prefix(std::string& text, nlohmann::json& entities, size_t bytes);

/// Trim ASCII whitespace from both ends of `text`, moving and clipping `entities` to match.
void trim_text(std::string& text, nlohmann::json& entities);

} // namespace m2g::route
