#include "common/route/custom_file.hpp"

#include "common/core/exit_codes.hpp"
#include "common/route/targets.hpp"
#include "common/route/text.hpp"

namespace m2g::route {
namespace {

bool allowed_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
         c == '-' || c == '/';
}

Failure refuse(std::string reason) {
  return fail(exit_code::k_dataerr, std::move(reason));
}

} // namespace

Result<std::string> normalize_custom_file(std::string_view name) {
  if (name.empty()) {
    return refuse("the name is empty");
  }
  if (name.front() == '/') {
    return refuse("absolute paths are not allowed; name a file inside the repository, e.g. books/reading");
  }
  for (char c : name) {
    if (!allowed_char(c)) {
      return refuse("only letters A-Z and a-z, digits, '.', '_', '-' and '/' are allowed");
    }
  }
  std::string path(name);
  if (path.size() < 3 || path.compare(path.size() - 3, 3, ".md") != 0) {
    path += ".md";
  }
  if (path.size() > k_max_custom_file_bytes) {
    return refuse("the name is too long (at most " + std::to_string(k_max_custom_file_bytes) + " bytes with .md)");
  }
  size_t start = 0;
  while (start <= path.size()) {
    size_t slash = path.find('/', start);
    std::string_view segment =
        std::string_view(path).substr(start, slash == std::string::npos ? std::string::npos : slash - start);
    if (segment.empty()) {
      return refuse("empty path segments ('//' or a trailing '/') are not allowed");
    }
    if (segment == "." || segment == "..") {
      return refuse("'.' and '..' are not allowed in a path");
    }
    if (segment.front() == '.') {
      return refuse("names starting with '.' (hidden files, .git) are not allowed");
    }
    if (slash == std::string::npos) {
      break;
    }
    start = slash + 1;
  }
  std::string folded = lower(path);
  for (const auto& target : k_targets) {
    if (folded == target.file) {
      return refuse(std::string(target.file) + " is a built-in file; use /" + std::string(target.name) + " or #" +
                    std::string(target.name));
    }
  }
  if (folded == "issue_archived.md" || folded.rfind("photos/", 0) == 0) {
    return refuse(path + " is reserved for the bot's own files");
  }
  return path;
}

} // namespace m2g::route
