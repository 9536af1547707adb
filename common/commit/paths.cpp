#include "common/commit/paths.hpp"

#include "common/core/exit_codes.hpp"
#include "common/jsonl/scan.hpp"

#include <array>
#include <cstdio>

namespace m2g::commit {
namespace {

constexpr std::array<std::string_view, 6> k_targets{"note", "todo", "issue", "idea", "inbox", "tool"};
constexpr std::array<std::string_view, 3> k_reserved{"todo.md", "issue.md", "issue_archived.md"};
constexpr size_t k_max_name = 200;
constexpr int k_max_depth = 8;

bool name_char(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == ' ' || c == '_' ||
         c == '-' || c == '.' || c >= 0x80;
}

bool id_chars(std::string_view text) {
  if (text.empty()) {
    return false;
  }
  for (char c : text) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    if (!ok) {
      return false;
    }
  }
  return true;
}

} // namespace

std::string target_file(std::string_view target) {
  for (std::string_view known : k_targets) {
    if (target == known) {
      return std::string(target) + ".md";
    }
  }
  return "";
}

Result<std::string> validate_custom_file(std::string_view name) {
  auto refuse = [&](const std::string& why) {
    return fail(exit_code::k_dataerr, "file name '" + std::string(jsonl::utf8_truncate(name, 80)) + "' " + why);
  };
  if (name.empty()) {
    return fail(exit_code::k_dataerr, "the file name is empty");
  }
  if (name.size() > k_max_name) {
    return refuse("is longer than " + std::to_string(k_max_name) + " bytes");
  }
  if (jsonl::valid_utf8_prefix(name) != name.size()) {
    return refuse("is not valid UTF-8");
  }
  if (name.front() == '/') {
    return refuse("is absolute");
  }
  if (name.size() < 4 || name.substr(name.size() - 3) != ".md") {
    return refuse("does not end in .md");
  }
  int depth = 0;
  size_t start = 0;
  while (start <= name.size()) {
    size_t end = name.find('/', start);
    std::string_view part = name.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
    if (part.empty()) {
      return refuse("has an empty path component");
    }
    if (part == "." || part == "..") {
      return refuse("leaves its directory");
    }
    if (part.front() == '.' || part.front() == '-') {
      return refuse("has a component starting with '" + std::string(1, part.front()) + "'");
    }
    if (part.front() == ' ' || part.back() == ' ') {
      return refuse("has a component starting or ending with a space");
    }
    for (char c : part) {
      if (!name_char(static_cast<unsigned char>(c))) {
        return refuse("has a character that is not allowed in file names");
      }
    }
    ++depth;
    if (end == std::string_view::npos) {
      break;
    }
    start = end + 1;
  }
  if (depth > k_max_depth) {
    return refuse("is nested deeper than " + std::to_string(k_max_depth) + " directories");
  }
  for (std::string_view reserved : k_reserved) {
    if (name == reserved) {
      return refuse("is reserved for its own format");
    }
  }
  if (name.rfind("photos/", 0) == 0) {
    return refuse("is inside photos/");
  }
  return std::string(name);
}

Result<std::string> photo_path(std::string_view file_unique_id, std::string_view ext, int year, int month) {
  if (!id_chars(file_unique_id) || file_unique_id.size() > 128) {
    return fail(exit_code::k_dataerr, "the photo's file_unique_id is not a plain identifier");
  }
  if (!id_chars(ext) || ext.size() > 8) {
    return fail(exit_code::k_dataerr, "the photo's file extension is not plain");
  }
  char dir[32];
  std::snprintf(dir, sizeof dir, "photos/%04d/%02d/", year, month);
  return std::string(dir) + std::string(file_unique_id) + "." + std::string(ext);
}

std::string relative_path(std::string_view from_file, std::string_view target) {
  std::string prefix;
  for (char c : from_file) {
    if (c == '/') {
      prefix += "../";
    }
  }
  return prefix + std::string(target);
}

std::string url_path(std::string_view path) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (char ch : path) {
    auto c = static_cast<unsigned char>(ch);
    bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
                 c == '.' || c == '~' || c == '/';
    if (plain) {
      out += ch;
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

} // namespace m2g::commit
