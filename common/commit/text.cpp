#include "common/commit/text.hpp"

#include "common/jsonl/scan.hpp"

#include <algorithm>

namespace m2g::commit {
namespace {

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

bool tag_char(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-' ||
         c >= 0x80;
}

} // namespace

namespace {

// Where neutralize_once() first changes `text` at or after `from` (a comment opener or
// closer, a CR, a control byte), or npos: most messages hold none, and are then copied once.
size_t next_change(std::string_view text, size_t from) {
  for (size_t i = from; i < text.size(); ++i) {
    char c = text[i];
    if ((c == '<' && text.substr(i, 4) == "<!--") || (c == '-' && text.substr(i, 3) == "-->") ||
        (static_cast<unsigned char>(c) < 0x20 && c != '\n' && c != '\t') || c == 0x7f) {
      return i;
    }
  }
  return std::string_view::npos;
}

// One pass of neutralize(); an opener's own dashes can form a closer with what follows
// ("<!-->"), so the caller repeats it until nothing changes.
std::string neutralize_once(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 16);
  size_t plain = 0; // start of the text not yet copied
  for (size_t i = next_change(text, 0); i != std::string_view::npos; i = next_change(text, plain)) {
    out.append(text, plain, i - plain);
    plain = i + 1;
    if (text[i] == '<') {
      out += "&lt;!--";
      plain = i + 4;
    } else if (text[i] == '-') {
      out += "--&gt;";
      plain = i + 3;
    } else if (text[i] == '\r') {
      out += '\n';
      if (plain < text.size() && text[plain] == '\n') {
        ++plain;
      }
    } // any other change drops a control byte
  }
  out.append(text, plain);
  return out;
}

} // namespace

std::string neutralize(std::string_view text) {
  std::string out(text);
  while (next_change(out, 0) != std::string_view::npos) {
    out = neutralize_once(out);
  }
  while (!out.empty() && is_space(out.back())) {
    out.pop_back();
  }
  // Leading blank lines would float the text away from its title; indentation stays.
  size_t first = 0;
  for (size_t i = 0; i < out.size() && is_space(out[i]); ++i) {
    if (out[i] == '\n') {
      first = i + 1;
    }
  }
  return out.substr(first);
}

std::string trim(std::string_view text) {
  size_t begin = 0;
  size_t end = text.size();
  while (begin < end && is_space(text[begin])) {
    ++begin;
  }
  while (end > begin && is_space(text[end - 1])) {
    --end;
  }
  return std::string(text.substr(begin, end - begin));
}

std::string one_line(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  bool space = false;
  for (char c : text) {
    if (is_space(c)) {
      space = !out.empty();
      continue;
    }
    if (space) {
      out += ' ';
      space = false;
    }
    out += c;
  }
  return out;
}

std::string fallback_title(std::string_view text, size_t max_bytes) {
  std::string clean = neutralize(text);
  std::string_view rest = clean;
  std::string line;
  while (!rest.empty() && line.empty()) {
    size_t end = rest.find('\n');
    std::string_view candidate = rest.substr(0, end);
    rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
    size_t start = candidate.find_first_not_of("#>*-+ \t");
    if (start != std::string_view::npos) {
      line = one_line(candidate.substr(start));
    }
  }
  if (line.empty()) {
    return "Untitled";
  }
  if (line.size() <= max_bytes) {
    return line;
  }
  std::string_view cut = jsonl::utf8_truncate(line, max_bytes);
  size_t space = cut.rfind(' ');
  if (space != std::string_view::npos && space >= max_bytes / 2) {
    cut = cut.substr(0, space);
  }
  return std::string(cut) + "…";
}

std::vector<std::string> clean_hashtags(const std::vector<std::string>& tags, size_t max) {
  std::vector<std::string> out;
  for (const auto& raw : tags) {
    std::string tag = trim(raw);
    if (!tag.empty() && tag.front() == '#') {
      tag.erase(0, 1);
    }
    if (tag.empty() || tag.size() > 64 || jsonl::valid_utf8_prefix(tag) != tag.size() ||
        !std::all_of(tag.begin(), tag.end(), [](char c) { return tag_char(static_cast<unsigned char>(c)); })) {
      continue;
    }
    tag = "#" + tag;
    if (std::find(out.begin(), out.end(), tag) == out.end() && out.size() < max) {
      out.push_back(std::move(tag));
    }
  }
  return out;
}

std::string html_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
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
    default:
      out += c;
    }
  }
  return out;
}

std::string link_text(std::string_view text) {
  std::string out;
  for (char c : one_line(text)) {
    if (c == '[' || c == ']' || c == '\\') {
      out += '\\';
    }
    out += c;
  }
  return out;
}

} // namespace m2g::commit
