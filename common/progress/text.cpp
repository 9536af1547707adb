#include "common/progress/text.hpp"

#include <cstdint>

namespace m2g::progress {
namespace {

// The byte length of the UTF-8 sequence starting at `text[i]` if it is well formed, else 0.
size_t sequence_length(std::string_view text, size_t i) {
  auto byte = [&](size_t k) { return static_cast<unsigned char>(text[k]); };
  unsigned char lead = byte(i);
  size_t need = lead < 0x80 ? 1 : (lead >> 5) == 0x6 ? 2 : (lead >> 4) == 0xE ? 3 : (lead >> 3) == 0x1E ? 4 : 0;
  if (need == 0 || i + need > text.size()) {
    return 0;
  }
  for (size_t k = 1; k < need; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) {
      return 0;
    }
  }
  return need;
}

// Append code point `cp` as UTF-8.
void append_utf8(std::string& out, uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x110000) {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

// Decode the entity starting at `html[i]` ('&'); on success append it and return its length.
size_t decode_entity(std::string_view html, size_t i, std::string& out) {
  size_t end = html.find(';', i);
  if (end == std::string_view::npos || end - i > 10) {
    return 0;
  }
  std::string_view name = html.substr(i + 1, end - i - 1);
  if (name == "lt") {
    out += '<';
  } else if (name == "gt") {
    out += '>';
  } else if (name == "amp") {
    out += '&';
  } else if (name == "quot") {
    out += '"';
  } else if (name.size() > 1 && name[0] == '#') {
    bool hex = name[1] == 'x' || name[1] == 'X';
    std::string_view digits = name.substr(hex ? 2 : 1);
    if (digits.empty()) {
      return 0;
    }
    uint32_t cp = 0;
    for (char c : digits) {
      int d = c >= '0' && c <= '9'          ? c - '0'
              : hex && c >= 'a' && c <= 'f' ? c - 'a' + 10
              : hex && c >= 'A' && c <= 'F' ? c - 'A' + 10
                                            : -1;
      if (d < 0 || cp > 0x10FFFF) {
        return 0;
      }
      cp = cp * (hex ? 16 : 10) + static_cast<uint32_t>(d);
    }
    append_utf8(out, cp);
  } else {
    return 0;
  }
  return end - i + 1;
}

} // namespace

std::string escape_html(std::string_view text) {
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

size_t utf16_length(std::string_view text) {
  size_t units = 0;
  for (size_t i = 0; i < text.size();) {
    size_t n = sequence_length(text, i);
    units += n == 4 ? 2 : 1;
    i += n == 0 ? 1 : n;
  }
  return units;
}

std::string fit_plain(std::string_view text, size_t max_units) {
  if (utf16_length(text) <= max_units) {
    return std::string(text);
  }
  // Keep whole characters while they fit, leaving one unit for the ellipsis.
  size_t budget = max_units == 0 ? 0 : max_units - 1;
  size_t units = 0;
  size_t i = 0;
  while (i < text.size()) {
    size_t n = sequence_length(text, i);
    size_t cost = n == 4 ? 2 : 1;
    if (n == 0 || units + cost > budget) {
      break; // a broken sequence ends the text we can vouch for
    }
    units += cost;
    i += n;
  }
  std::string out(text.substr(0, i));
  if (max_units > 0) {
    out += "…";
  }
  return out;
}

std::string html_to_plain(std::string_view html) {
  std::string out;
  out.reserve(html.size());
  for (size_t i = 0; i < html.size();) {
    char c = html[i];
    if (c == '<') {
      size_t end = html.find('>', i);
      if (end == std::string_view::npos) {
        out.append(html.substr(i)); // not a tag: Telegram would reject it, keep the text
        break;
      }
      i = end + 1;
      continue;
    }
    if (c == '&') {
      size_t used = decode_entity(html, i, out);
      if (used > 0) {
        i += used;
        continue;
      }
    }
    out += c;
    ++i;
  }
  return out;
}

} // namespace m2g::progress
