#pragma once
// The one judge of a repository URL a chat names with /repo. m2g-route checks it when the
// chat sets it (and answers a clear refusal at once), m2g-commit checks it again for every job
// (a job line is input too); both call this, so a URL the route stores is one the commit
// stage accepts. Before, the route accepted ssh://, git@host: and HTTPS:// URLs that commit
// refused later, so every message of that chat failed.
//
// Only https:// with a host and a path: ssh:// and git@host: would make the bot use its own
// SSH keys (the operator's), local paths would reach into its file system, and credentials
// in the URL would be stored and logged as text (the token goes as its own word instead).

#include "common/net/address_policy.hpp"

#include <cstdint>
#include <string>
#include <string_view>

namespace m2g::net {

/// URLs longer than this are refused (a repository URL is a host and a short path).
inline constexpr size_t k_max_repo_url_bytes = 512;

struct RepoUrlCheck {
  bool ok = false;
  /// The URL carries a user or password (the message holding it should be deleted).
  bool has_credentials = false;
  /// Why it was refused, in words for the chat ("use an https:// URL ...").
  std::string why;
  /// The host, lower-case, without brackets ("github.com", "::1"), and the port (443 default).
  std::string host;
  uint16_t port = 443;
};

/// Judge `url` as a chat's repository: the shape above, then `policy`'s host rules (the
/// allow-list, and a numeric address in a private range). Names are not resolved here: that
/// happens when connecting (common/git/net_stream.hpp), where the address used is checked.
RepoUrlCheck check_chat_repo_url(std::string_view url, const AddressPolicy& policy);

} // namespace m2g::net
