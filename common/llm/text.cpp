#include "common/llm/text.hpp"

namespace m2g::llm {
namespace {

constexpr char32_t k_replacement = 0xFFFD;
constexpr char32_t k_zwj = 0x200D;

bool is_continuation(unsigned char c) {
  return (c & 0xC0) == 0x80;
}

bool is_regional_indicator(char32_t c) {
  return c >= 0x1F1E6 && c <= 0x1F1FF;
}

} // namespace

CodePoint decode_at(std::string_view text, size_t pos) {
  auto byte = [&](size_t i) { return static_cast<unsigned char>(text[pos + i]); };
  unsigned char c = byte(0);
  if (c < 0x80) {
    return {c, 1};
  }
  size_t length = c >= 0xF5 ? 0 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 ? 2 : 0;
  if (length == 0 || pos + length > text.size()) {
    return {k_replacement, 1};
  }
  char32_t value = c & (0xFF >> (length + 1));
  for (size_t i = 1; i < length; ++i) {
    if (!is_continuation(byte(i))) {
      return {k_replacement, 1};
    }
    value = (value << 6) | (byte(i) & 0x3F);
  }
  // Overlong forms, surrogates and values past U+10FFFF are not characters.
  static constexpr char32_t k_min[] = {0, 0, 0x80, 0x800, 0x10000};
  if (value < k_min[length] || (value >= 0xD800 && value <= 0xDFFF) || value > 0x10FFFF) {
    return {k_replacement, 1};
  }
  return {value, length};
}

bool is_space(char32_t c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f' || c == 0xA0 ||
         (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 || c == 0x202F || c == 0x205F || c == 0x3000 ||
         c == 0xFEFF;
}

bool is_extender(char32_t c) {
  return (c >= 0x0300 && c <= 0x036F) || (c >= 0x1AB0 && c <= 0x1AFF) || (c >= 0x1DC0 && c <= 0x1DFF) ||
         (c >= 0x20D0 && c <= 0x20FF) || (c >= 0xFE20 && c <= 0xFE2F) || c == k_zwj || (c >= 0xFE00 && c <= 0xFE0F) ||
         (c >= 0x1F3FB && c <= 0x1F3FF) || (c >= 0xE0020 && c <= 0xE007F) || (c >= 0xE0100 && c <= 0xE01EF);
}

std::string_view trim(std::string_view text) {
  size_t begin = 0;
  while (begin < text.size()) {
    CodePoint cp = decode_at(text, begin);
    if (!is_space(cp.value)) {
      break;
    }
    begin += cp.length;
  }
  size_t end = begin;
  for (size_t pos = begin; pos < text.size();) {
    CodePoint cp = decode_at(text, pos);
    pos += cp.length;
    if (!is_space(cp.value)) {
      end = pos;
    }
  }
  return text.substr(begin, end - begin);
}

std::vector<std::string_view> split_words(std::string_view text) {
  std::vector<std::string_view> words;
  size_t start = std::string_view::npos;
  for (size_t pos = 0; pos < text.size();) {
    CodePoint cp = decode_at(text, pos);
    if (is_space(cp.value)) {
      if (start != std::string_view::npos) {
        words.push_back(text.substr(start, pos - start));
        start = std::string_view::npos;
      }
    } else if (start == std::string_view::npos) {
      start = pos;
    }
    pos += cp.length;
  }
  if (start != std::string_view::npos) {
    words.push_back(text.substr(start));
  }
  return words;
}

std::string_view cut_utf8(std::string_view text, size_t max_bytes) {
  if (text.size() <= max_bytes) {
    return text;
  }
  // Character starts up to the limit, so the cut can step back over extenders.
  std::vector<size_t> starts;
  std::vector<char32_t> values;
  size_t pos = 0;
  while (pos < text.size()) {
    CodePoint cp = decode_at(text, pos);
    starts.push_back(pos);
    values.push_back(cp.value);
    if (pos + cp.length > max_bytes) {
      break;
    }
    pos += cp.length;
  }
  // starts.back() is the first character that does not fit: the candidate cut.
  size_t cut = starts.size() - 1;
  auto splits_cluster = [&](size_t i) {
    if (i == 0) {
      return false;
    }
    if (is_extender(values[i]) || values[i - 1] == k_zwj) {
      return true;
    }
    if (is_regional_indicator(values[i]) && is_regional_indicator(values[i - 1])) {
      size_t run = 0; // flags are pairs: cutting after an odd count splits one
      for (size_t j = i; j > 0 && is_regional_indicator(values[j - 1]); --j) {
        ++run;
      }
      return run % 2 == 1;
    }
    return false;
  };
  while (splits_cluster(cut)) {
    --cut;
  }
  return text.substr(0, starts[cut]);
}

std::string shorten(std::string_view text, size_t max_bytes) {
  static constexpr std::string_view k_ellipsis = "…";
  if (text.size() <= max_bytes) {
    return std::string(text);
  }
  size_t budget = max_bytes > k_ellipsis.size() ? max_bytes - k_ellipsis.size() : 0;
  std::string_view prefix = cut_utf8(text, budget);
  if (size_t space = prefix.rfind(' '); space != std::string_view::npos && space > budget / 3) {
    prefix = prefix.substr(0, space);
  }
  while (!prefix.empty() && std::string_view(" ,;:-").find(prefix.back()) != std::string_view::npos) {
    prefix.remove_suffix(1);
  }
  return std::string(prefix) + std::string(k_ellipsis);
}

std::string first_words(std::string_view text, size_t max_words, bool& cut) {
  std::vector<std::string_view> words = split_words(text);
  cut = words.size() > max_words;
  std::string out;
  for (size_t i = 0; i < words.size() && i < max_words; ++i) {
    if (i > 0) {
      out += ' ';
    }
    out += words[i];
  }
  return out;
}

} // namespace m2g::llm
