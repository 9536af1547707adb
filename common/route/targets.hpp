#pragma once
// Where a message can be filed: the six built-in targets (each a file at the repository root)
// and the chat's own custom files, plus the leading-hashtag shortcuts ("#todo buy milk").

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace m2g::route {

/// A built-in target: its name (job field "target"), button emoji and label, and file.
struct Target {
  std::string_view name;
  std::string_view emoji;
  std::string_view label;
  std::string_view file;
};

inline constexpr std::array<Target, 6> k_targets{{
    {"note", "📝", "NOTE", "note.md"},
    {"todo", "✅", "TODO", "todo.md"},
    {"issue", "❓", "ISSUE", "issue.md"},
    {"idea", "💡", "IDEA", "idea.md"},
    {"inbox", "📥", "INBOX", "inbox.md"},
    {"tool", "🔧", "TOOL", "tool.md"},
}};

/// The built-in target called `name` (lowercase), or nullptr.
const Target* find_target(std::string_view name);

/// Where a job files: a built-in target name or "custom", and the repository file.
struct Destination {
  std::string target;
  std::string file;
  bool custom() const { return target == "custom"; }
};

/// The destination for a built-in target name, or for one of `custom_files` (by name, with or
/// without ".md"). nullopt when `name` is neither.
std::optional<Destination> resolve_destination(std::string_view name, const std::vector<std::string>& custom_files);

/// A leading "#todo", "#note", ... (any case) followed by a space, a line break or the end.
struct Shortcut {
  const Target* target = nullptr;
  size_t length = 0; ///< bytes to strip: the tag and the whitespace after it
};
std::optional<Shortcut> leading_shortcut(std::string_view text);

} // namespace m2g::route
