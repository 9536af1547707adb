#include "common/net/address_policy.hpp"

#include <arpa/inet.h>
#include <doctest/doctest.h>
#include <netinet/in.h>
#include <string>
#include <sys/socket.h>

using namespace m2g::net;

namespace {

// A sockaddr for a numeric address, as getaddrinfo would hand it to the connecting stream.
struct Address {
  sockaddr_storage storage{};
  explicit Address(const std::string& text) {
    auto* v4 = reinterpret_cast<sockaddr_in*>(&storage);
    auto* v6 = reinterpret_cast<sockaddr_in6*>(&storage);
    if (inet_pton(AF_INET, text.c_str(), &v4->sin_addr) == 1) {
      v4->sin_family = AF_INET;
    } else {
      REQUIRE(inet_pton(AF_INET6, text.c_str(), &v6->sin6_addr) == 1);
      v6->sin6_family = AF_INET6;
    }
  }
  const sockaddr* get() const { return reinterpret_cast<const sockaddr*>(&storage); }
};

std::string range(const std::string& text) {
  return std::string(special_range(Address(text).get()));
}

} // namespace

TEST_SUITE("net") {
  TEST_CASE("m2g::net::special_range") {
    SUBCASE("IPv4 special ranges are named") {
      CHECK(range("127.0.0.1") == "loopback");
      CHECK(range("127.255.0.9") == "loopback");
      CHECK(range("10.1.2.3") == "private");
      CHECK(range("172.16.0.1") == "private");
      CHECK(range("172.31.255.255") == "private");
      CHECK(range("192.168.1.1") == "private");
      CHECK(range("169.254.169.254") == "link-local"); // cloud metadata services
      CHECK(range("100.64.0.1") == "shared (CGNAT)");
      CHECK(range("100.127.255.255") == "shared (CGNAT)");
      CHECK(range("0.0.0.0") == "this-network");
      CHECK(range("0.1.2.3") == "this-network");
      CHECK(range("224.0.0.1") == "multicast");
      CHECK(range("255.255.255.255") == "reserved");
    }
    SUBCASE("public IPv4 addresses, including the neighbours of special ranges, pass") {
      CHECK(range("140.82.121.3") == ""); // github.com
      CHECK(range("172.15.255.255") == "");
      CHECK(range("172.32.0.0") == "");
      CHECK(range("100.63.255.255") == "");
      CHECK(range("100.128.0.0") == "");
      CHECK(range("11.0.0.1") == "");
      CHECK(range("223.255.255.255") == "");
    }
    SUBCASE("IPv6 special ranges are named") {
      CHECK(range("::1") == "loopback");
      CHECK(range("::") == "unspecified");
      CHECK(range("fd00::1") == "private (ULA)");
      CHECK(range("fc12:3456::1") == "private (ULA)");
      CHECK(range("fe80::1") == "link-local");
      CHECK(range("ff02::1") == "multicast");
      CHECK(range("2001:db8::1") == "documentation");
    }
    SUBCASE("IPv6 forms that carry an IPv4 address are judged by it") {
      CHECK(range("::ffff:127.0.0.1") == "loopback");
      CHECK(range("::ffff:10.0.0.1") == "private");
      CHECK(range("::ffff:169.254.169.254") == "link-local");
      CHECK(range("::ffff:140.82.121.3") == "");
      CHECK(range("64:ff9b::7f00:1") == "loopback"); // NAT64
      CHECK(range("2002:7f00:1::1") == "loopback");  // 6to4
      CHECK(range("2002:8c52:7903::1") == "");
      CHECK(range("::127.0.0.1") == "reserved"); // the deprecated IPv4-compatible form
    }
    SUBCASE("public IPv6 addresses pass") {
      CHECK(range("2606:4700:4700::1111") == "");
      CHECK(range("2a01:4f8::1") == "");
    }
    SUBCASE("a missing or foreign address is refused") {
      CHECK(special_range(nullptr) == "unsupported");
      sockaddr unix_address{};
      unix_address.sa_family = AF_UNIX;
      CHECK(special_range(&unix_address) == "unsupported");
    }
  }

  TEST_CASE("m2g::net::literal_special_range") {
    CHECK(literal_special_range("github.com") == std::nullopt);
    CHECK(literal_special_range("localhost") == std::nullopt); // a name: judged once resolved
    CHECK(*literal_special_range("127.0.0.1") == "loopback");
    CHECK(*literal_special_range("[::1]") == "loopback");
    CHECK(*literal_special_range("::ffff:10.0.0.1") == "private");
    CHECK(*literal_special_range("140.82.121.3") == "");
    SUBCASE("the short and numeric IPv4 spellings getaddrinfo accepts are IPv4 too") {
      CHECK(*literal_special_range("127.1") == "loopback");
      CHECK(*literal_special_range("2130706433") == "loopback");
      CHECK(*literal_special_range("0x7f.1") == "loopback");
      CHECK(*literal_special_range("0") == "this-network");
    }
  }

  TEST_CASE("m2g::net::AddressPolicy") {
    Address loopback("127.0.0.1"), lan("192.168.1.20"), public_address("140.82.121.3");
    SUBCASE("by default private addresses are refused and public ones pass") {
      AddressPolicy policy;
      CHECK(policy.address_refusal("evil.example", loopback.get()).find("not allowed") != std::string::npos);
      CHECK(policy.address_refusal("evil.example", loopback.get()).find("loopback") != std::string::npos);
      CHECK(policy.address_refusal("gitea.lan", lan.get()).find("private") != std::string::npos);
      CHECK(policy.address_refusal("github.com", public_address.get()) == "");
      CHECK(policy.host_refusal("github.com") == "");
      CHECK(policy.host_refusal("127.0.0.1").find("loopback") != std::string::npos);
      CHECK(policy.host_refusal("[::ffff:10.0.0.1]").find("private") != std::string::npos);
    }
    SUBCASE("allow_private lets every address through") {
      AddressPolicy policy;
      policy.allow_private = true;
      CHECK(policy.address_refusal("localhost", loopback.get()) == "");
      CHECK(policy.host_refusal("127.0.0.1") == "");
    }
    SUBCASE("an allow-list refuses other hosts and lets its own reach private addresses") {
      AddressPolicy policy;
      policy.allowed_hosts = AddressPolicy::parse_host_list("Gitea.LAN, .corp.example");
      CHECK(policy.allowed_hosts == std::vector<std::string>{"gitea.lan", ".corp.example"});
      CHECK(policy.address_refusal("gitea.lan", lan.get()) == "");
      CHECK(policy.address_refusal("GITEA.lan.", lan.get()) == "");
      CHECK(policy.address_refusal("git.corp.example", lan.get()) == "");
      CHECK(policy.host_refusal("github.com").find("allowed hosts") != std::string::npos);
      CHECK(policy.address_refusal("github.com", public_address.get()).find("allowed hosts") != std::string::npos);
      CHECK(policy.host_refusal("corp.example") != ""); // ".corp.example" names its subdomains only
      CHECK(policy.host_refusal("evilcorp.example") != "");
    }
    SUBCASE("from_env reads M2G_REPO_ALLOW_PRIVATE and M2G_REPO_ALLOWED_HOSTS") {
      setenv("M2G_REPO_ALLOW_PRIVATE", "1", 1);
      setenv("M2G_REPO_ALLOWED_HOSTS", "a.example b.example", 1);
      AddressPolicy policy = AddressPolicy::from_env();
      CHECK(policy.allow_private);
      CHECK(policy.allowed_hosts.size() == 2);
      setenv("M2G_REPO_ALLOW_PRIVATE", "0", 1);
      unsetenv("M2G_REPO_ALLOWED_HOSTS");
      policy = AddressPolicy::from_env();
      CHECK_FALSE(policy.allow_private);
      CHECK(policy.allowed_hosts.empty());
      unsetenv("M2G_REPO_ALLOW_PRIVATE");
    }
  }
}
