#pragma once
// Validation of custom file names ("/customfile add books/reading"): they become paths in the
// person's repository, so anything that could leave it, hide in it or clash with the built-in
// files is refused with the reason in plain words.

#include "common/core/error.hpp"

#include <string>
#include <string_view>

namespace m2g::route {

/// Longest accepted name in bytes, ".md" included.
inline constexpr size_t k_max_custom_file_bytes = 64;

/// The repository path for `name`: ".md" appended when missing. Refused: empty names, absolute
/// paths, "." and ".." segments, segments starting with "." (.git, hidden files), empty
/// segments ("a//b", a trailing "/"), characters outside [A-Za-z0-9._/-], names over 64
/// bytes, and the built-in files (note.md, todo.md, ...). The failure's message is the reason.
Result<std::string> normalize_custom_file(std::string_view name);

} // namespace m2g::route
