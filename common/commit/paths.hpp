#pragma once
// Which files a job may write. Fixed targets map to fixed files at the repository's root;
// custom names come from people, so they are checked here before they ever reach a tree:
// relative, no "." or ".." or hidden components, a sane character set, Markdown only.

#include "common/core/error.hpp"

#include <string>
#include <string_view>

namespace m2g::commit {

/// The file of a fixed target ("note" → "note.md"; also todo, issue, idea, inbox, tool),
/// "" for any other name.
std::string target_file(std::string_view target);

/// `name` if it is an acceptable custom file: relative, at most 8 components and 200 bytes,
/// each component non-empty and not starting with "." or "-", made of letters, digits, space,
/// "_", "-", "." or any non-ASCII UTF-8; ending in ".md"; not one of the files with their own
/// format (todo.md, issue.md, issue_archived.md) and not under photos/. Fails with the reason.
Result<std::string> validate_custom_file(std::string_view name);

/// Where a photo's bytes go: photos/YYYY/MM/<file_unique_id>.<ext>. Fails when the id or the
/// extension has characters other than letters, digits, "_" and "-".
Result<std::string> photo_path(std::string_view file_unique_id, std::string_view ext, int year, int month);

/// `target` (a path from the repository root) as seen from the directory of `from_file`
/// ("notes/a.md", "photos/x.jpg" → "../photos/x.jpg").
std::string relative_path(std::string_view from_file, std::string_view target);

/// `path` for use in a URL: every byte but unreserved characters and "/" percent-encoded.
std::string url_path(std::string_view path);

} // namespace m2g::commit
