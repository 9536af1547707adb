#include "common/route/command.hpp"

#include "common/route/text.hpp"

namespace m2g::route {
namespace {

bool word_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

bool space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

} // namespace

std::optional<Command> parse_command(std::string_view text) {
  size_t pos = 0;
  while (pos < text.size() && space(text[pos])) {
    ++pos;
  }
  if (pos >= text.size() || text[pos] != '/') {
    return std::nullopt;
  }
  size_t start = ++pos;
  while (pos < text.size() && word_char(text[pos])) {
    ++pos;
  }
  if (pos == start || pos - start > 32) {
    return std::nullopt;
  }
  Command out;
  out.name = lower(text.substr(start, pos - start));
  if (pos < text.size() && text[pos] == '@') {
    size_t mention = ++pos;
    while (pos < text.size() && word_char(text[pos])) {
      ++pos;
    }
    if (pos == mention) {
      return std::nullopt;
    }
    out.mention = std::string(text.substr(mention, pos - mention));
  }
  if (pos < text.size() && !space(text[pos])) {
    return std::nullopt;
  }
  while (pos < text.size() && space(text[pos])) {
    ++pos;
  }
  out.args_offset = pos;
  out.args = std::string(trim(text.substr(pos)));
  out.words = words(out.args);
  return out;
}

bool addressed_to(const Command& command, std::string_view bot_username) {
  if (command.mention.empty() || bot_username.empty()) {
    return true;
  }
  if (bot_username.front() == '@') {
    bot_username.remove_prefix(1);
  }
  return lower(command.mention) == lower(bot_username);
}

} // namespace m2g::route
