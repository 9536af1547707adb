#pragma once
// Which network addresses a repository named by a chat may reach. A chat's /repo is a URL a
// stranger chose; without a policy the bot would connect wherever it points: to itself
// (127.0.0.1:6379), to the operator's LAN (10.0.0.5:22), to the cloud metadata service
// (169.254.169.254), and the error texts that come back would map that network port by port.
// So the host is resolved, and an address in a loopback, link-local, private, shared (CGNAT),
// multicast or reserved range is refused unless the operator allows private addresses
// (M2G_REPO_ALLOW_PRIVATE=1: tests, self-hosters) or names the host on an allow-list
// (M2G_REPO_ALLOWED_HOSTS). The check is made on the address actually connected to (see
// common/git/net_stream.hpp), so a DNS name that resolves to 127.0.0.1 is refused as well.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

struct sockaddr;

namespace m2g::net {

/// The special range `address` (AF_INET or AF_INET6) lies in ("loopback", "private",
/// "link-local", ...), or "" for a public unicast address. IPv4-mapped, NAT64 and 6to4 IPv6
/// forms are judged by the IPv4 address they carry. Unknown families are "unsupported".
std::string_view special_range(const sockaddr* address);

/// The special range of a numeric host ("10.0.0.1", "::1", "[::1]"), as special_range; nullopt
/// when `host` is a name, not a numeric address.
std::optional<std::string_view> literal_special_range(std::string_view host);

/// `address` as text ("127.0.0.1", "::1").
std::string format_address(const sockaddr* address);

struct AddressPolicy {
  /// Private, loopback and other special addresses may be connected to.
  bool allow_private = false;
  /// Lower-case host names ("git.example.com", or ".example.com" for every subdomain). When
  /// not empty, only these hosts may be named; a listed host may resolve to a private address
  /// (the operator named it: a Gitea on the LAN).
  std::vector<std::string> allowed_hosts;

  /// M2G_REPO_ALLOW_PRIVATE (1/true/yes/on) and M2G_REPO_ALLOWED_HOSTS.
  static AddressPolicy from_env();
  /// "a.example, .b.example c.example" (comma or space separated) as allowed_hosts entries.
  static std::vector<std::string> parse_host_list(std::string_view text);

  /// True when `host` is on the allow-list.
  bool listed(std::string_view host) const;
  /// "" when a URL may name `host` at all (the allow-list, if any, and a numeric address's
  /// range), else why not, in words fit for the chat.
  std::string host_refusal(std::string_view host) const;
  /// "" when `host` may be reached at `address` (what it resolved to), else why not.
  std::string address_refusal(std::string_view host, const sockaddr* address) const;
};

} // namespace m2g::net
