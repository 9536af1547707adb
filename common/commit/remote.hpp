#pragma once
// What m2g-commit needs to know about a remote URL: whether it is a local path, whether it is
// on GitHub (for web links and issues), how to show it without credentials, where its clone
// lives under --workdir, and whether a chat may name it at all.

#include "common/core/error.hpp"
#include "common/net/address_policy.hpp"

#include <string>
#include <string_view>

namespace m2g::commit {

struct RemoteInfo {
  std::string url;         ///< as given; what libgit2 is told
  bool local = false;      ///< a path or file:// URL
  std::string github_repo; ///< "owner/repo" when the remote is on github.com, else ""
  std::string display;     ///< the URL without any user or password
};

RemoteInfo describe_remote(std::string_view url);

/// `url` in the one spelling used as a repository's key: local paths absolute and normalized
/// (so "./notes.git" means the same clone from any working directory), others unchanged.
std::string canonical_url(std::string_view url);

/// Check a repository URL that came from a chat (the job's repo.url): only https:// URLs
/// without credentials in them that `policy` allows (net::check_chat_repo_url, as m2g-route
/// checks /repo), or, with `allow_local`, local paths. A chat must never make the bot use its
/// own SSH keys, reach into the machine's file system or into the operator's network.
Result<void> check_chat_remote(std::string_view url, bool allow_local, const net::AddressPolicy& policy = {});

/// The directory name of a remote's clone under --workdir: "<name>-<16 hex digits>.git",
/// stable across runs (FNV-1a of the URL), readable for people.
std::string clone_dir_name(std::string_view url);

/// https://github.com/OWNER/REPO/blob/BRANCH/FILE, with the path percent-encoded.
std::string github_blob_url(std::string_view repo, std::string_view branch, std::string_view file,
                            std::string_view web_base = "https://github.com");

} // namespace m2g::commit
