#include "tests/unit/scratch.hpp"

#include "common/crypto/aead.hpp"
#include "common/crypto/key.hpp"

#include <doctest/doctest.h>
#include <fstream>
#include <sys/stat.h>

using namespace m2g;

namespace {
void write(const std::string& path, const std::string& contents, mode_t mode = 0600) {
  std::ofstream(path, std::ios::binary) << contents;
  ::chmod(path.c_str(), mode);
}
} // namespace

TEST_SUITE("crypto") {
  TEST_CASE("m2g::crypto::Key::parse") {
    std::string hex = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
    SUBCASE("64 hex characters, with a newline, equal the same 32 raw bytes") {
      std::string raw;
      for (int i = 0; i < 32; ++i) {
        raw += static_cast<char>(i);
      }
      auto from_hex = crypto::Key::parse(hex + "\n").take_or_throw();
      auto from_raw = crypto::Key::parse(raw).take_or_throw();
      auto sealed = crypto::seal(from_hex, "x", "a").take_or_throw();
      CHECK(crypto::open(from_raw, sealed, "a").take_or_throw() == "x");
    }
    SUBCASE("upper-case hex") {
      CHECK(crypto::Key::parse("  " + std::string(64, 'F') + "  ").ok());
    }
    SUBCASE("32 raw bytes that look like whitespace are not trimmed") {
      CHECK(crypto::Key::parse(std::string(32, ' ')).ok());
    }
    SUBCASE("wrong lengths and non-hex fail with exit 78") {
      CHECK(crypto::Key::parse("").failure().exit_code == 78);
      CHECK_FALSE(crypto::Key::parse(std::string(31, 'a')).ok());
      CHECK_FALSE(crypto::Key::parse(std::string(63, 'a')).ok());
      std::string bad_hex(63, 'a');
      bad_hex += 'g';
      CHECK_FALSE(crypto::Key::parse(bad_hex).ok());
      CHECK_FALSE(crypto::Key::parse(std::string(65, 'a')).ok());
    }
  }

  TEST_CASE("m2g::crypto::load_key_file") {
    auto dir = test::fresh_dir("key");
    SUBCASE("a hex key file") {
      std::string hex(64, 'a');
      hex += '\n';
      write(dir + "/k", hex);
      CHECK(crypto::load_key_file(dir + "/k").ok());
    }
    SUBCASE("a key file readable by group or others is refused with 78, naming the file") {
      write(dir + "/open", std::string(64, 'a'), 0644);
      auto key = crypto::load_key_file(dir + "/open");
      REQUIRE_FALSE(key.ok());
      CHECK(key.failure().exit_code == 78);
      CHECK(key.error().find("'" + dir + "/open'") != std::string::npos);
      CHECK(key.error().find("chmod 600") != std::string::npos);
      write(dir + "/group", std::string(64, 'a'), 0640);
      CHECK(crypto::load_key_file(dir + "/group").failure().exit_code == 78);
    }
    SUBCASE("a missing file is 66") {
      CHECK(crypto::load_key_file(dir + "/none").failure().exit_code == 66);
    }
    SUBCASE("a bad file is 78 and names the file") {
      write(dir + "/bad", "password123");
      auto key = crypto::load_key_file(dir + "/bad");
      REQUIRE_FALSE(key.ok());
      CHECK(key.failure().exit_code == 78);
      CHECK(key.error().find("bad") != std::string::npos);
    }
  }
}
