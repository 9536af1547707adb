#include "common/route/text.hpp"

#include "common/core/ascii.hpp"

namespace m2g::route {
namespace {

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

} // namespace

std::string html_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  for (char c : text) {
    switch (c) {
    case '&':
      out += "&amp;";
      break;
    case '<':
      out += "&lt;";
      break;
    case '>':
      out += "&gt;";
      break;
    case '"':
      out += "&quot;";
      break;
    default:
      out += c;
    }
  }
  return out;
}

char32_t next_code_point(std::string_view text, size_t& pos) {
  auto byte = [&](size_t i) { return static_cast<unsigned char>(text[i]); };
  unsigned char b0 = byte(pos);
  size_t need = 0;
  char32_t cp = 0;
  if (b0 < 0x80) {
    ++pos;
    return b0;
  }
  if ((b0 & 0xE0) == 0xC0 && b0 >= 0xC2) {
    need = 1;
    cp = b0 & 0x1F;
  } else if ((b0 & 0xF0) == 0xE0) {
    need = 2;
    cp = b0 & 0x0F;
  } else if ((b0 & 0xF8) == 0xF0 && b0 <= 0xF4) {
    need = 3;
    cp = b0 & 0x07;
  } else {
    ++pos;
    return 0xFFFD;
  }
  if (pos + need >= text.size()) {
    ++pos; // a sequence cut short by the end of the text
    return 0xFFFD;
  }
  for (size_t i = 1; i <= need; ++i) {
    if ((byte(pos + i) & 0xC0) != 0x80) {
      ++pos;
      return 0xFFFD;
    }
    cp = (cp << 6) | (byte(pos + i) & 0x3F);
  }
  // Overlong forms and surrogates are invalid UTF-8.
  if ((need == 2 && cp < 0x800) || (need == 3 && (cp < 0x10000 || cp > 0x10FFFF)) || (cp >= 0xD800 && cp <= 0xDFFF)) {
    ++pos;
    return 0xFFFD;
  }
  pos += need + 1;
  return cp;
}

size_t utf16_length(std::string_view text) {
  size_t units = 0;
  for (size_t pos = 0; pos < text.size();) {
    units += next_code_point(text, pos) >= 0x10000 ? 2 : 1;
  }
  return units;
}

size_t utf16_prefix_bytes(std::string_view text, size_t max_units) {
  size_t units = 0;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t next = pos;
    size_t width = next_code_point(text, next) >= 0x10000 ? 2 : 1;
    if (units + width > max_units) {
      break;
    }
    units += width;
    pos = next;
  }
  return pos;
}

std::string shorten(std::string_view text, size_t max_units) {
  if (utf16_length(text) <= max_units) {
    return std::string(text);
  }
  if (max_units == 0) {
    return {};
  }
  std::string out(trim(text.substr(0, utf16_prefix_bytes(text, max_units - 1))));
  out += "…";
  return out;
}

std::string first_line(std::string_view text, size_t max_units) {
  text = trim(text);
  auto nl = text.find('\n');
  bool more = nl != std::string_view::npos;
  std::string line = shorten(trim(text.substr(0, nl)), max_units);
  if (more && line.size() >= 3 && line.compare(line.size() - 3, 3, "…") != 0) {
    line = shorten(line + " …", max_units);
  }
  return line;
}

std::vector<std::string> split_message(std::string_view text, size_t max_units) {
  std::vector<std::string> out;
  std::string current;
  size_t current_units = 0;
  auto flush = [&] {
    if (!current.empty()) {
      out.push_back(std::move(current));
      current.clear();
      current_units = 0;
    }
  };
  size_t start = 0;
  while (start <= text.size()) {
    auto nl = text.find('\n', start);
    std::string_view line = text.substr(start, nl == std::string_view::npos ? std::string_view::npos : nl - start);
    size_t units = utf16_length(line);
    size_t sep = current.empty() ? 0 : 1;
    if (current_units + sep + units > max_units) {
      flush();
      while (units > max_units) {
        size_t cut = utf16_prefix_bytes(line, max_units);
        out.emplace_back(line.substr(0, cut));
        line.remove_prefix(cut);
        units = utf16_length(line);
      }
      sep = 0;
    }
    if (sep) {
      current += '\n';
    }
    current += line;
    current_units += sep + units;
    if (nl == std::string_view::npos) {
      break;
    }
    start = nl + 1;
  }
  flush();
  return out;
}

std::string lower(std::string_view text) {
  return ascii_lower(text);
}

std::string_view trim(std::string_view text) {
  size_t first = 0;
  while (first < text.size() && is_space(text[first])) {
    ++first;
  }
  size_t last = text.size();
  while (last > first && is_space(text[last - 1])) {
    --last;
  }
  return text.substr(first, last - first);
}

std::vector<std::string> words(std::string_view text) {
  std::vector<std::string> out;
  size_t pos = 0;
  while (pos < text.size()) {
    while (pos < text.size() && is_space(text[pos])) {
      ++pos;
    }
    size_t start = pos;
    while (pos < text.size() && !is_space(text[pos])) {
      ++pos;
    }
    if (pos > start) {
      out.emplace_back(text.substr(start, pos - start));
    }
  }
  return out;
}

} // namespace m2g::route
