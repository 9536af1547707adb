#include "common/crypto/aead.hpp"

#include <doctest/doctest.h>
#include <string>

using namespace m2g;

namespace {
crypto::Key key_of(char fill) {
  return crypto::Key::from_bytes(std::string(32, fill)).take_or_throw();
}
} // namespace

TEST_SUITE("crypto") {
  TEST_CASE("m2g::crypto::seal") {
    auto key = key_of('k');
    SUBCASE("round trip, and the plaintext is not in the sealed text") {
      std::string token = "ghp_abcdefghijklmnopqrstuvwxyz0123456789";
      auto sealed = crypto::seal(key, token, "chat 1").take_or_throw();
      CHECK(sealed.rfind("m2g1:", 0) == 0);
      CHECK(sealed.find(token) == std::string::npos);
      CHECK(sealed.find("ghp_") == std::string::npos);
      CHECK(crypto::open(key, sealed, "chat 1").take_or_throw() == token);
    }
    SUBCASE("a fresh nonce every time") {
      CHECK(crypto::seal(key, "same", "a").take_or_throw() != crypto::seal(key, "same", "a").take_or_throw());
    }
    SUBCASE("empty plaintext") {
      auto sealed = crypto::seal(key, "", "a").take_or_throw();
      CHECK(crypto::open(key, sealed, "a").take_or_throw().empty());
    }
  }

  TEST_CASE("m2g::crypto::open") {
    auto key = key_of('k');
    auto sealed = crypto::seal(key, "secret-token", "chat 1").take_or_throw();
    SUBCASE("another key fails") {
      auto opened = crypto::open(key_of('z'), sealed, "chat 1");
      REQUIRE_FALSE(opened.ok());
      CHECK(opened.error().find("another key") != std::string::npos);
      CHECK(opened.error().find("secret") == std::string::npos);
    }
    SUBCASE("other associated data fails (a value moved to another chat)") {
      CHECK_FALSE(crypto::open(key, sealed, "chat 2").ok());
    }
    SUBCASE("a flipped byte fails") {
      std::string altered = sealed;
      altered[10] = altered[10] == 'A' ? 'B' : 'A';
      CHECK_FALSE(crypto::open(key, altered, "chat 1").ok());
    }
    SUBCASE("malformed values fail cleanly") {
      CHECK_FALSE(crypto::open(key, "", "chat 1").ok());
      CHECK_FALSE(crypto::open(key, "m2g1:", "chat 1").ok());
      CHECK_FALSE(crypto::open(key, "m2g1:!!!!", "chat 1").ok());
      CHECK_FALSE(crypto::open(key, "m2g1:AAAA", "chat 1").ok());
      CHECK_FALSE(crypto::open(key, "plain-token", "chat 1").ok());
    }
  }
}
