#include "tests/unit/scratch.hpp"

#include "common/crypto/instance_key.hpp"
#include "common/crypto/mac.hpp"

#include <doctest/doctest.h>
#include <filesystem>
#include <fstream>
#include <sys/stat.h>

using namespace m2g;

namespace {
crypto::Key key_of(char fill) {
  return crypto::Key::from_bytes(std::string(32, fill)).take_or_throw();
}
std::string hex(const crypto::Mac& mac) {
  static constexpr char k_hex[] = "0123456789abcdef";
  std::string out;
  for (uint8_t b : mac) {
    out += k_hex[b >> 4];
    out += k_hex[b & 0xf];
  }
  return out;
}
std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}
} // namespace

TEST_SUITE("crypto") {
  TEST_CASE("m2g::crypto::hmac_sha256") {
    // Python: hmac.new(b"k" * 32, b"hello", hashlib.sha256).hexdigest()
    CHECK(hex(crypto::hmac_sha256(key_of('k'), "hello").take_or_throw()) ==
          "b77dedb81d7deb352f617552af07a682c4267366ef53870025bc48b701c8a76d");
    CHECK(crypto::hmac_sha256(key_of('k'), "hello").take_or_throw() !=
          crypto::hmac_sha256(key_of('z'), "hello").take_or_throw());
  }

  TEST_CASE("m2g::crypto::derive_key") {
    auto buttons = crypto::derive_key(key_of('k'), "buttons").take_or_throw();
    auto other = crypto::derive_key(key_of('k'), "other").take_or_throw();
    CHECK(crypto::hmac_sha256(buttons, "x").take_or_throw() != crypto::hmac_sha256(other, "x").take_or_throw());
    CHECK(crypto::hmac_sha256(buttons, "x").take_or_throw() != crypto::hmac_sha256(key_of('k'), "x").take_or_throw());
  }

  TEST_CASE("m2g::crypto::base64url") {
    crypto::Mac mac{};
    mac[0] = 0xfb;
    mac[1] = 0xff;
    CHECK(crypto::base64url(mac, 2) == "-_8");
    CHECK(crypto::base64url(mac, 16).size() == 22);
    CHECK(crypto::base64url(mac, 32).size() == 43);
  }

  TEST_CASE("m2g::crypto::constant_time_equal") {
    CHECK(crypto::constant_time_equal("abc", "abc"));
    CHECK_FALSE(crypto::constant_time_equal("abc", "abd"));
    CHECK_FALSE(crypto::constant_time_equal("abc", "ab"));
    CHECK(crypto::constant_time_equal("", ""));
  }

  TEST_CASE("m2g::crypto::instance_key") {
    std::string dir = test::fresh_dir("instance-key");
    SUBCASE("neither a key file nor a data dir: none") {
      CHECK_FALSE(crypto::instance_key("", "").take_or_throw());
    }
    SUBCASE("created once, mode 0600, the same key on every later start") {
      auto first = crypto::instance_key("", dir).take_or_throw();
      REQUIRE(first);
      std::string path = dir + "/instance.key";
      struct stat st {};
      REQUIRE(::stat(path.c_str(), &st) == 0);
      CHECK((st.st_mode & 0777) == 0600);
      std::string contents = slurp(path);
      auto again = crypto::instance_key("", dir).take_or_throw();
      REQUIRE(again);
      CHECK(slurp(path) == contents);
      CHECK(crypto::hmac_sha256(*first, "m").take_or_throw() == crypto::hmac_sha256(*again, "m").take_or_throw());
      // No temporary file is left behind.
      size_t files = 0;
      for (const auto& entry : std::filesystem::directory_iterator(dir)) {
        (void)entry;
        ++files;
      }
      CHECK(files == 1);
    }
    SUBCASE("a key file wins over the data dir and creates nothing there") {
      std::string key_file = dir + "/ops.key";
      std::ofstream(key_file) << std::string(64, 'a');
      ::chmod(key_file.c_str(), 0600);
      auto key = crypto::instance_key(key_file, dir).take_or_throw();
      REQUIRE(key);
      CHECK(crypto::hmac_sha256(*key, "m").take_or_throw() ==
            crypto::hmac_sha256(crypto::Key::parse(std::string(64, 'a')).take_or_throw(), "m").take_or_throw());
      CHECK_FALSE(std::filesystem::exists(dir + "/instance.key"));
    }
    SUBCASE("a data dir that does not exist fails with 73") {
      auto key = crypto::instance_key("", dir + "/missing");
      REQUIRE_FALSE(key.ok());
      CHECK(key.failure().exit_code == 73);
    }
  }
}
