#include "common/llm/fallback.hpp"

#include "common/jsonl/scan.hpp"
#include "common/llm/text.hpp"

namespace m2g::llm {
namespace {

// Drop one leading Markdown marker; true if one was dropped.
bool drop_marker(std::string_view& line) {
  static constexpr std::string_view k_markers[] = {"> ", "- ", "* ", "+ ", "[ ] ", "[x] ", "[X] "};
  for (std::string_view marker : k_markers) {
    if (line.substr(0, marker.size()) == marker) {
      line = trim(line.substr(marker.size()));
      return true;
    }
  }
  size_t hashes = line.find_first_not_of('#');
  if (hashes != std::string_view::npos && hashes > 0 && hashes <= 6 && line[hashes] == ' ') {
    line = trim(line.substr(hashes)); // a heading, not a hashtag
    return true;
  }
  return false;
}

// `text` with invalid UTF-8 sequences removed (lines from the contract are valid already; this
// keeps the promise for any other caller).
std::string valid_only(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  while (!text.empty()) {
    size_t good = jsonl::valid_utf8_prefix(text);
    out.append(text.substr(0, good));
    text.remove_prefix(good == text.size() ? good : good + 1);
  }
  return out;
}

} // namespace

std::string fallback_title(std::string_view text, std::string_view empty_title) {
  std::string clean = valid_only(text);
  std::string_view rest = clean;
  std::string_view line;
  while (!rest.empty() && line.empty()) {
    size_t newline = rest.find('\n');
    line = trim(rest.substr(0, newline));
    rest = newline == std::string_view::npos ? std::string_view() : rest.substr(newline + 1);
  }
  for (int i = 0; i < 4 && drop_marker(line); ++i) {
  }
  bool cut = false;
  std::string title = first_words(line, k_fallback_max_words, cut);
  if (title.empty()) {
    return std::string(empty_title);
  }
  if (!cut) {
    return shorten(title, k_fallback_max_bytes);
  }
  // Words were left out: show it with "…", shortening further if the mark does not fit.
  std::string shortened = shorten(title, k_fallback_max_bytes - 3);
  return shortened.size() < title.size() ? shortened : title + "…";
}

} // namespace m2g::llm
