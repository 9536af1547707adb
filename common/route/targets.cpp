#include "common/route/targets.hpp"

#include "common/route/text.hpp"

namespace m2g::route {

const Target* find_target(std::string_view name) {
  for (const auto& target : k_targets) {
    if (target.name == name) {
      return &target;
    }
  }
  return nullptr;
}

std::optional<Destination> resolve_destination(std::string_view name, const std::vector<std::string>& custom_files) {
  std::string wanted = lower(name);
  if (const Target* target = find_target(wanted)) {
    return Destination{std::string(target->name), std::string(target->file)};
  }
  for (const auto& file : custom_files) {
    if (file == name || file == std::string(name) + ".md") {
      return Destination{"custom", file};
    }
  }
  return std::nullopt;
}

std::optional<Shortcut> leading_shortcut(std::string_view text) {
  size_t start = 0;
  while (start < text.size() && (text[start] == ' ' || text[start] == '\t')) {
    ++start;
  }
  if (start >= text.size() || text[start] != '#') {
    return std::nullopt;
  }
  size_t end = start + 1;
  while (end < text.size() && text[end] != ' ' && text[end] != '\t' && text[end] != '\n' && text[end] != '\r') {
    ++end;
  }
  const Target* target = find_target(lower(text.substr(start + 1, end - start - 1)));
  if (!target) {
    return std::nullopt;
  }
  while (end < text.size() && (text[end] == ' ' || text[end] == '\t' || text[end] == '\n' || text[end] == '\r')) {
    ++end;
  }
  return Shortcut{target, end};
}

} // namespace m2g::route
