#include "common/fake/telegram/params.hpp"

#include <charconv>

namespace m2g::fake::telegram {
namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') {
    return c - '0';
  }
  if (c >= 'a' && c <= 'f') {
    return c - 'a' + 10;
  }
  if (c >= 'A' && c <= 'F') {
    return c - 'A' + 10;
  }
  return -1;
}

void parse_form(std::string_view text, json& into) {
  while (!text.empty()) {
    auto amp = text.find('&');
    std::string_view pair = text.substr(0, amp);
    text = amp == std::string_view::npos ? std::string_view() : text.substr(amp + 1);
    if (pair.empty()) {
      continue;
    }
    auto eq = pair.find('=');
    std::string key = url_decode(pair.substr(0, eq));
    std::string value = eq == std::string_view::npos ? std::string() : url_decode(pair.substr(eq + 1));
    into[key] = value;
  }
}

} // namespace

std::string url_decode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '+') {
      out += ' ';
    } else if (c == '%' && i + 2 < text.size() && hex_value(text[i + 1]) >= 0 && hex_value(text[i + 2]) >= 0) {
      out += static_cast<char>(hex_value(text[i + 1]) * 16 + hex_value(text[i + 2]));
      i += 2;
    } else {
      out += c;
    }
  }
  return out;
}

std::variant<Params, ApiFailure> Params::parse(std::string_view query, std::string_view body) {
  Params params;
  parse_form(query, params.m_values);
  auto first = body.find_first_not_of(" \t\r\n");
  if (first != std::string_view::npos && body[first] == '{') {
    json parsed = json::parse(body, nullptr, false);
    if (parsed.is_discarded() || !parsed.is_object()) {
      return ApiFailure{400, "Bad Request: can't parse JSON object"};
    }
    for (auto& [key, value] : parsed.items()) {
      params.m_values[key] = value;
    }
  } else if (first != std::string_view::npos) {
    parse_form(body, params.m_values);
  }
  return params;
}

std::optional<int64_t> Params::get_int(const std::string& key) const {
  auto it = m_values.find(key);
  if (it == m_values.end()) {
    return std::nullopt;
  }
  if (it->is_number_integer()) {
    return it->get<int64_t>();
  }
  if (it->is_string()) {
    const auto& s = it->get_ref<const std::string&>();
    int64_t value = 0;
    auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
    if (ec == std::errc() && ptr == s.data() + s.size() && !s.empty()) {
      return value;
    }
  }
  return std::nullopt;
}

std::optional<double> Params::get_number(const std::string& key) const {
  auto it = m_values.find(key);
  if (it == m_values.end()) {
    return std::nullopt;
  }
  if (it->is_number()) {
    return it->get<double>();
  }
  if (it->is_string()) {
    try {
      return std::stod(it->get<std::string>());
    } catch (const std::exception&) {
      return std::nullopt;
    }
  }
  return std::nullopt;
}

std::optional<std::string> Params::get_string(const std::string& key) const {
  auto it = m_values.find(key);
  if (it == m_values.end() || it->is_null()) {
    return std::nullopt;
  }
  if (it->is_string()) {
    return it->get<std::string>();
  }
  if (it->is_number_integer()) {
    return std::to_string(it->get<int64_t>());
  }
  return it->dump();
}

std::optional<bool> Params::get_bool(const std::string& key) const {
  auto it = m_values.find(key);
  if (it == m_values.end()) {
    return std::nullopt;
  }
  if (it->is_boolean()) {
    return it->get<bool>();
  }
  if (it->is_string()) {
    return *it == "true" || *it == "1";
  }
  return std::nullopt;
}

std::optional<json> Params::get_json(const std::string& key) const {
  auto it = m_values.find(key);
  if (it == m_values.end() || it->is_null()) {
    return std::nullopt;
  }
  if (it->is_string()) {
    return json::parse(it->get<std::string>(), nullptr, false);
  }
  return *it;
}

size_t utf16_length(std::string_view utf8) {
  size_t units = 0;
  for (size_t i = 0; i < utf8.size();) {
    auto c = static_cast<unsigned char>(utf8[i]);
    size_t len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 1;
    if (i + len > utf8.size()) {
      len = 1;
    }
    units += len == 4 ? 2 : 1;
    i += len;
  }
  return units;
}

std::optional<ApiFailure> check_text(const std::optional<std::string>& text) {
  if (!text || text->find_first_not_of(" \t\r\n") == std::string::npos) {
    return ApiFailure{400, "Bad Request: message text is empty"};
  }
  if (utf16_length(*text) > 4096) {
    return ApiFailure{400, "Bad Request: message is too long"};
  }
  return std::nullopt;
}

std::optional<ApiFailure> check_markup(const Params& params, json& markup) {
  markup = json();
  auto value = params.get_json("reply_markup");
  if (!value) {
    return std::nullopt;
  }
  if (value->is_discarded() || !value->is_object()) {
    return ApiFailure{400, "Bad Request: can't parse reply keyboard markup JSON object"};
  }
  auto rows = value->find("inline_keyboard");
  if (rows != value->end()) {
    if (!rows->is_array()) {
      return ApiFailure{400, "Bad Request: field \"inline_keyboard\" of the InlineKeyboardMarkup must be an Array"};
    }
    for (const auto& row : *rows) {
      if (!row.is_array()) {
        return ApiFailure{400, "Bad Request: can't parse inline keyboard button: InlineKeyboardButton must be an "
                               "Object"};
      }
      for (const auto& button : row) {
        if (!button.is_object() || !button.contains("text") || !button["text"].is_string()) {
          return ApiFailure{400, "Bad Request: can't parse inline keyboard button: Text must be non-empty"};
        }
        auto data = button.find("callback_data");
        if (data != button.end()) {
          if (!data->is_string() || data->get_ref<const std::string&>().empty() ||
              data->get_ref<const std::string&>().size() > 64) {
            return ApiFailure{400, "Bad Request: BUTTON_DATA_INVALID"};
          }
        } else if (!button.contains("url") && !button.contains("switch_inline_query") && !button.contains("web_app") &&
                   !button.contains("copy_text") && !button.contains("switch_inline_query_current_chat") &&
                   !button.contains("login_url") && !button.contains("pay") && !button.contains("callback_game")) {
          return ApiFailure{400, "Bad Request: text buttons are unallowed in the inline keyboard"};
        }
      }
    }
  }
  markup = *value;
  return std::nullopt;
}

} // namespace m2g::fake::telegram
