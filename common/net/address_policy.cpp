#include "common/net/address_policy.hpp"

#include "common/core/ascii.hpp"

#include <arpa/inet.h>
#include <cstdlib>
#include <cstring>
#include <netinet/in.h>
#include <sys/socket.h>

namespace m2g::net {
namespace {

struct Range4 {
  uint32_t base;
  int bits;
  std::string_view name;
};

constexpr uint32_t ip4(unsigned a, unsigned b, unsigned c, unsigned d) {
  return (a << 24) | (b << 16) | (c << 8) | d;
}

// RFC 6890 and its updates: every IPv4 block that is not ordinary public unicast.
constexpr Range4 k_ranges4[] = {
    {ip4(0, 0, 0, 0), 8, "this-network"},       {ip4(10, 0, 0, 0), 8, "private"},
    {ip4(100, 64, 0, 0), 10, "shared (CGNAT)"}, {ip4(127, 0, 0, 0), 8, "loopback"},
    {ip4(169, 254, 0, 0), 16, "link-local"},    {ip4(172, 16, 0, 0), 12, "private"},
    {ip4(192, 0, 0, 0), 24, "reserved"},        {ip4(192, 0, 2, 0), 24, "documentation"},
    {ip4(192, 88, 99, 0), 24, "reserved"},      {ip4(192, 168, 0, 0), 16, "private"},
    {ip4(198, 18, 0, 0), 15, "benchmarking"},   {ip4(198, 51, 100, 0), 24, "documentation"},
    {ip4(203, 0, 113, 0), 24, "documentation"}, {ip4(224, 0, 0, 0), 4, "multicast"},
    {ip4(240, 0, 0, 0), 4, "reserved"},
};

std::string_view range4(uint32_t address) {
  for (const auto& range : k_ranges4) {
    uint32_t mask = range.bits == 0 ? 0 : ~uint32_t{0} << (32 - range.bits);
    if ((address & mask) == range.base) {
      return range.name;
    }
  }
  return "";
}

uint32_t embedded4(const uint8_t* bytes) {
  return (uint32_t{bytes[0]} << 24) | (uint32_t{bytes[1]} << 16) | (uint32_t{bytes[2]} << 8) | bytes[3];
}

std::string_view range6(const in6_addr& address) {
  const uint8_t* b = address.s6_addr;
  auto zero = [b](int from, int to) {
    for (int i = from; i < to; ++i) {
      if (b[i] != 0) {
        return false;
      }
    }
    return true;
  };
  if (zero(0, 10) && b[10] == 0xff && b[11] == 0xff) {
    return range4(embedded4(b + 12)); // ::ffff:a.b.c.d, what a dual-stack socket shows for IPv4
  }
  if (zero(0, 12)) {
    if (zero(12, 15) && b[15] <= 1) {
      return b[15] == 1 ? "loopback" : "unspecified";
    }
    return "reserved"; // ::a.b.c.d, the deprecated IPv4-compatible form
  }
  if (b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xff && b[3] == 0x9b && zero(4, 12)) {
    return range4(embedded4(b + 12)); // NAT64 64:ff9b::/96 reaches the IPv4 address it carries
  }
  if (b[0] == 0x20 && b[1] == 0x02) {
    return range4(embedded4(b + 2)); // 6to4 2002:AABB:CCDD::/48
  }
  if ((b[0] & 0xfe) == 0xfc) {
    return "private (ULA)";
  }
  if (b[0] == 0xfe && (b[1] & 0xc0) == 0x80) {
    return "link-local";
  }
  if (b[0] == 0xfe && (b[1] & 0xc0) == 0xc0) {
    return "site-local";
  }
  if (b[0] == 0xff) {
    return "multicast";
  }
  if (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0d && b[3] == 0xb8) {
    return "documentation";
  }
  if (b[0] == 0x01 && zero(1, 8)) {
    return "reserved"; // 100::/64, discard-only
  }
  if (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x00 && b[3] == 0x00) {
    return "reserved"; // 2001::/32 Teredo: the IPv4 address inside is obfuscated
  }
  return "";
}

std::string_view bare_host(std::string_view host) {
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  while (!host.empty() && host.back() == '.') {
    host.remove_suffix(1); // "example.com." names the same host as "example.com"
  }
  return host;
}

} // namespace

std::string_view special_range(const sockaddr* address) {
  if (address && address->sa_family == AF_INET) {
    const auto* in = reinterpret_cast<const sockaddr_in*>(address);
    return range4(ntohl(in->sin_addr.s_addr));
  }
  if (address && address->sa_family == AF_INET6) {
    return range6(reinterpret_cast<const sockaddr_in6*>(address)->sin6_addr);
  }
  return "unsupported";
}

std::optional<std::string_view> literal_special_range(std::string_view host) {
  std::string text(bare_host(host));
  in_addr v4{};
  if (inet_pton(AF_INET, text.c_str(), &v4) == 1) {
    return range4(ntohl(v4.s_addr));
  }
  in6_addr v6{};
  if (inet_pton(AF_INET6, text.c_str(), &v6) == 1) {
    return range6(v6);
  }
  // inet_pton takes only the dotted quad; "127.1", "2130706433" and "0x7f.1" are IPv4 to
  // getaddrinfo (inet_aton's forms) and must be judged as such.
  if (inet_aton(text.c_str(), &v4) != 0) {
    return range4(ntohl(v4.s_addr));
  }
  return std::nullopt;
}

std::string format_address(const sockaddr* address) {
  char buf[INET6_ADDRSTRLEN] = "?";
  if (address && address->sa_family == AF_INET) {
    inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in*>(address)->sin_addr, buf, sizeof buf);
  } else if (address && address->sa_family == AF_INET6) {
    inet_ntop(AF_INET6, &reinterpret_cast<const sockaddr_in6*>(address)->sin6_addr, buf, sizeof buf);
  }
  return buf;
}

AddressPolicy AddressPolicy::from_env() {
  AddressPolicy policy;
  if (const char* allow = std::getenv("M2G_REPO_ALLOW_PRIVATE")) {
    std::string value = ascii_lower(allow);
    policy.allow_private = value == "1" || value == "true" || value == "yes" || value == "on";
  }
  if (const char* hosts = std::getenv("M2G_REPO_ALLOWED_HOSTS")) {
    policy.allowed_hosts = parse_host_list(hosts);
  }
  return policy;
}

std::vector<std::string> AddressPolicy::parse_host_list(std::string_view rest) {
  std::vector<std::string> hosts;
  while (!rest.empty()) {
    size_t cut = rest.find_first_of(", \t");
    std::string_view word = bare_host(rest.substr(0, cut));
    rest = cut == std::string_view::npos ? std::string_view() : rest.substr(cut + 1);
    if (!word.empty()) {
      hosts.push_back(ascii_lower(word));
    }
  }
  return hosts;
}

bool AddressPolicy::listed(std::string_view host) const {
  std::string name = ascii_lower(bare_host(host));
  for (const auto& entry : allowed_hosts) {
    if (entry.empty()) {
      continue;
    }
    if (entry.front() == '.') {
      // ".example.com" covers every name below it, not "example.com" itself nor "badexample.com".
      if (name.size() > entry.size() && name.compare(name.size() - entry.size(), entry.size(), entry) == 0) {
        return true;
      }
    } else if (name == entry) {
      return true;
    }
  }
  return false;
}

std::string AddressPolicy::host_refusal(std::string_view host) const {
  if (!allowed_hosts.empty() && !listed(host)) {
    return "this server only accepts repositories on its allowed hosts";
  }
  if (allow_private || listed(host)) {
    return "";
  }
  if (auto range = literal_special_range(host); range && !range->empty()) {
    return "the repository's address is not allowed on this server (" + std::string(*range) + ")";
  }
  return "";
}

std::string AddressPolicy::address_refusal(std::string_view host, const sockaddr* address) const {
  if (!allowed_hosts.empty() && !listed(host)) {
    return "this server only accepts repositories on its allowed hosts";
  }
  if (allow_private || listed(host)) {
    return address && (address->sa_family == AF_INET || address->sa_family == AF_INET6)
               ? ""
               : "the repository's address is not an IP address";
  }
  std::string_view range = special_range(address);
  if (!range.empty()) {
    return "the repository's address is not allowed on this server (" + std::string(range) + ")";
  }
  return "";
}

} // namespace m2g::net
