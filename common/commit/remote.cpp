#include "common/commit/remote.hpp"

#include "common/commit/paths.hpp"
#include "common/core/exit_codes.hpp"
#include "common/git/repository.hpp"
#include "common/net/repo_url.hpp"

#include <cstdio>
#include <filesystem>

namespace m2g::commit {
namespace {

// "owner/repo" from a path like "/owner/repo.git/" (empty unless exactly two parts).
std::string owner_repo(std::string_view path) {
  while (!path.empty() && path.front() == '/') {
    path.remove_prefix(1);
  }
  while (!path.empty() && path.back() == '/') {
    path.remove_suffix(1);
  }
  if (path.size() > 4 && path.substr(path.size() - 4) == ".git") {
    path.remove_suffix(4);
  }
  size_t slash = path.find('/');
  if (slash == std::string_view::npos || slash == 0 || slash + 1 >= path.size() ||
      path.find('/', slash + 1) != std::string_view::npos) {
    return "";
  }
  return std::string(path);
}

} // namespace

RemoteInfo describe_remote(std::string_view url) {
  RemoteInfo info;
  info.url = std::string(url);
  info.local = git::is_local_url(url);
  info.display = info.url;
  if (info.local) {
    return info;
  }
  size_t scheme = url.find("://");
  if (scheme != std::string_view::npos) {
    size_t host_start = scheme + 3;
    size_t path_start = url.find('/', host_start);
    std::string_view authority =
        url.substr(host_start, path_start == std::string_view::npos ? std::string_view::npos : path_start - host_start);
    size_t at = authority.rfind('@');
    std::string_view host = at == std::string_view::npos ? authority : authority.substr(at + 1);
    info.display = std::string(url.substr(0, host_start)) + std::string(host) +
                   std::string(path_start == std::string_view::npos ? "" : url.substr(path_start));
    if (host == "github.com" && path_start != std::string_view::npos) {
      info.github_repo = owner_repo(url.substr(path_start));
    }
    return info;
  }
  // scp-like: [user@]host:path
  size_t colon = url.find(':');
  std::string_view user_host = url.substr(0, colon);
  size_t at = user_host.rfind('@');
  std::string_view host = at == std::string_view::npos ? user_host : user_host.substr(at + 1);
  if (host == "github.com") {
    info.github_repo = owner_repo(url.substr(colon + 1));
  }
  return info;
}

std::string canonical_url(std::string_view url) {
  if (!git::is_local_url(url) || url.empty()) {
    return std::string(url);
  }
  std::string path = std::filesystem::absolute(git::local_path(url)).lexically_normal().string();
  while (path.size() > 1 && path.back() == '/') {
    path.pop_back();
  }
  return path;
}

Result<void> check_chat_remote(std::string_view url, bool allow_local, const net::AddressPolicy& policy) {
  if (git::is_local_url(url)) {
    if (allow_local) {
      return {};
    }
    return fail(exit_code::k_noperm, "a chat's repository must be an https:// URL, not a local path");
  }
  // The same judge as m2g-route's /repo (common/net/repo_url.hpp): a URL the route stored is
  // one this stage accepts, and a job line that names another is refused the same way.
  net::RepoUrlCheck check = net::check_chat_repo_url(url, policy);
  if (!check.ok) {
    return fail(exit_code::k_noperm, "a chat's repository cannot be used: " + check.why);
  }
  return {};
}

std::string clone_dir_name(std::string_view url) {
  uint64_t hash = 1469598103934665603ULL;
  for (char c : url) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 1099511628211ULL;
  }
  // The readable part: the last path component, letters and digits only.
  std::string_view tail = url;
  while (!tail.empty() && (tail.back() == '/')) {
    tail.remove_suffix(1);
  }
  size_t cut = tail.find_last_of("/:");
  if (cut != std::string_view::npos) {
    tail = tail.substr(cut + 1);
  }
  if (tail.size() > 4 && tail.substr(tail.size() - 4) == ".git") {
    tail.remove_suffix(4);
  }
  std::string name;
  for (char c : tail) {
    bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    if (plain && name.size() < 40) {
      name += c;
    }
  }
  if (name.empty()) {
    name = "repo";
  }
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(hash));
  return name + "-" + hex + ".git";
}

std::string github_blob_url(std::string_view repo, std::string_view branch, std::string_view file,
                            std::string_view web_base) {
  return std::string(web_base) + "/" + std::string(repo) + "/blob/" + url_path(branch) + "/" + url_path(file);
}

} // namespace m2g::commit
