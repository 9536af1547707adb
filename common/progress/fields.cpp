#include "common/progress/fields.hpp"

#include <charconv>
#include <cstring>
#include <nlohmann/json.hpp>

namespace m2g::progress {
namespace {

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

size_t skip_space(std::string_view text, size_t at) {
  while (at < text.size() && is_space(text[at])) {
    ++at;
  }
  return at;
}

// `at` is just past an opening quote: the index of the closing one, and whether a backslash
// came between.
size_t string_end(std::string_view text, size_t at, bool& escaped) {
  escaped = false;
  const char* begin = text.data();
  const char* end = begin + text.size();
  const char* p = begin + at;
  while (p < end) {
    const char* quote = static_cast<const char*>(std::memchr(p, '"', static_cast<size_t>(end - p)));
    if (quote == nullptr) {
      return text.size();
    }
    if (!escaped && std::memchr(p, '\\', static_cast<size_t>(quote - p)) != nullptr) {
      escaped = true;
    }
    // An odd run of backslashes before the quote escapes it.
    size_t slashes = 0;
    while (quote - slashes > p && quote[-1 - static_cast<ptrdiff_t>(slashes)] == '\\') {
      ++slashes;
    }
    if (slashes % 2 == 0) {
      return static_cast<size_t>(quote - begin);
    }
    p = quote + 1;
  }
  return text.size();
}

// `at` is on an opening brace or bracket: the index just past its match.
size_t container_end(std::string_view text, size_t at) {
  int depth = 0;
  while (at < text.size()) {
    char c = text[at];
    if (c == '"') {
      bool escaped = false;
      at = string_end(text, at + 1, escaped) + 1;
      continue;
    }
    if (c == '{' || c == '[') {
      ++depth;
    } else if ((c == '}' || c == ']') && --depth == 0) {
      return at + 1;
    }
    ++at;
  }
  return text.size();
}

} // namespace

std::string RawValue::string() const {
  if (type != Type::string) {
    return {};
  }
  if (!escaped) {
    return std::string(text);
  }
  // The quotes around `text` are still there in the line: parse the string token in place.
  auto parsed = nlohmann::json::parse(text.data() - 1, text.data() + text.size() + 1, nullptr, false);
  return parsed.is_string() ? parsed.get<std::string>() : std::string();
}

std::optional<int64_t> RawValue::integer() const {
  if (type != Type::number || text.find_first_of(".eE") != std::string_view::npos) {
    return std::nullopt;
  }
  int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) {
    return std::nullopt;
  }
  return value;
}

std::optional<double> RawValue::number() const {
  if (type != Type::number) {
    return std::nullopt;
  }
  double value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) {
    return std::nullopt;
  }
  return value;
}

bool find_members(std::string_view object, std::span<const std::string_view> keys, std::span<RawValue> values) {
  for (auto& value : values) {
    value = RawValue{};
  }
  size_t at = skip_space(object, 0);
  if (at >= object.size() || object[at] != '{') {
    return false;
  }
  ++at;
  while (true) {
    at = skip_space(object, at);
    if (at >= object.size() || object[at] == '}') {
      return true;
    }
    if (object[at] == ',') {
      at = skip_space(object, at + 1);
    }
    if (at >= object.size() || object[at] != '"') {
      return false;
    }
    bool key_escaped = false;
    size_t key_end = string_end(object, at + 1, key_escaped);
    if (key_escaped) {
      return false; // "chat\u005fid" is chat_id to a parser: leave it to one
    }
    std::string_view key = object.substr(at + 1, key_end - at - 1);
    at = skip_space(object, key_end + 1);
    if (at >= object.size() || object[at] != ':') {
      return false;
    }
    at = skip_space(object, at + 1);
    if (at >= object.size()) {
      return false;
    }
    RawValue value;
    char c = object[at];
    size_t end = at;
    if (c == '"') {
      value.type = RawValue::Type::string;
      end = string_end(object, at + 1, value.escaped);
      value.text = object.substr(at + 1, end - at - 1);
      ++end;
    } else if (c == '{' || c == '[') {
      value.type = c == '{' ? RawValue::Type::object : RawValue::Type::array;
      end = container_end(object, at);
      value.text = object.substr(at, end - at);
    } else {
      while (end < object.size() && object[end] != ',' && object[end] != '}' && !is_space(object[end])) {
        ++end;
      }
      value.text = object.substr(at, end - at);
      value.type = c == 't' || c == 'f' ? RawValue::Type::boolean
                   : c == 'n'           ? RawValue::Type::null
                                        : RawValue::Type::number;
    }
    for (size_t i = 0; i < keys.size(); ++i) {
      if (keys[i] == key) {
        values[i] = value;
      }
    }
    at = end;
  }
}

} // namespace m2g::progress
