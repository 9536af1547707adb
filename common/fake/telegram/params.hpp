#pragma once
// Bot API parameters as the fake receives them (a JSON body, an urlencoded form, or the query
// string: Telegram takes all three), and the checks Telegram applies to what a bot sends.

#include "common/fake/telegram/chats.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

namespace m2g::fake::telegram {

class Params {
public:
  /// Merge the query string and the body (JSON when it starts with '{', else a form).
  static std::variant<Params, ApiFailure> parse(std::string_view query, std::string_view body);

  bool has(const std::string& key) const { return m_values.contains(key); }
  /// An integer given as a number or a numeric string.
  std::optional<int64_t> get_int(const std::string& key) const;
  std::optional<double> get_number(const std::string& key) const;
  /// A string (numbers are given back in decimal).
  std::optional<std::string> get_string(const std::string& key) const;
  std::optional<bool> get_bool(const std::string& key) const;
  /// A JSON value given as JSON or as a string holding JSON (forms send reply_markup that way).
  /// Absent: nullopt; unparseable: a discarded value.
  std::optional<json> get_json(const std::string& key) const;
  const json& values() const { return m_values; }

private:
  json m_values = json::object();
};

/// Decode "%41+b" → "A b".
std::string url_decode(std::string_view text);

/// The length Telegram limits texts by, counted in UTF-16 code units (an emoji outside the
/// BMP counts 2), which is how Telegram measures entity offsets; invalid bytes count 1 each.
size_t utf16_length(std::string_view utf8);

/// Checks on a message text: present, not empty, at most 4096 UTF-16 code units.
std::optional<ApiFailure> check_text(const std::optional<std::string>& text);

/// Checks on reply_markup for sendMessage/edit*: parseable, and for an inline keyboard every
/// button has text and callback_data of 1–64 bytes. `markup` is set to the parsed value.
std::optional<ApiFailure> check_markup(const Params& params, json& markup);

} // namespace m2g::fake::telegram
