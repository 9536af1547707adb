#include "common/core/log.hpp"
#include "common/core/secret.hpp"

#include <doctest/doctest.h>
#include <string>

using namespace m2g;

TEST_SUITE("core") {
  TEST_CASE("m2g::looks_like_token") {
    SUBCASE("known prefixes and long runs of the token alphabet") {
      CHECK(looks_like_token("ghp_abcdefghijklmnop0123"));
      CHECK(looks_like_token("github_pat_11ABCDEFG0123456789_abcdefghij"));
      CHECK(looks_like_token("glpat-abcdefghijklmnopqrst"));
      CHECK(looks_like_token(std::string(40, 'f')));
      CHECK(looks_like_token("0123456789abcdef0123"));
    }
    SUBCASE("ordinary words, short values, spaces and huge values are not tokens") {
      CHECK_FALSE(looks_like_token("please"));
      CHECK_FALSE(looks_like_token("ghp_short"));
      CHECK_FALSE(looks_like_token("0123456789abcdef012")); // 19
      CHECK_FALSE(looks_like_token("a token with spaces in it"));
      CHECK_FALSE(looks_like_token("https://example.org/a/b/c"));
      CHECK_FALSE(looks_like_token(std::string(257, 'a')));
    }
  }

  TEST_CASE("m2g::add_chat_secret") {
    SUBCASE("a token is scrubbed; a word that is not a token is not registered") {
      CHECK(add_chat_secret("ghp_chatSecretToken0123456789"));
      CHECK(log::redact("x ghp_chatSecretToken0123456789 y") == "x *** y");
      CHECK_FALSE(add_chat_secret("hello"));
      CHECK(log::redact("hello") == "hello");
    }
    SUBCASE("each secret once, however often it is sent") {
      std::string token = "glpat-sentManyTimes012345";
      CHECK(add_chat_secret(token));
      CHECK_FALSE(add_chat_secret(token));
      CHECK(log::redact(token) == "***");
    }
    SUBCASE("the set is capped: past the cap the oldest is forgotten, the newest kept") {
      std::string first = "ghp_capOldest000000000000000";
      CHECK(add_chat_secret(first));
      for (size_t i = 0; i < k_max_chat_secrets; ++i) {
        add_chat_secret("ghp_capFiller" + std::to_string(1'000'000 + i) + "abcdef");
      }
      CHECK(log::redact(first) == first);
      std::string last = "ghp_capFiller" + std::to_string(1'000'000 + k_max_chat_secrets - 1) + "abcdef";
      CHECK(log::redact(last) == "***");
    }
    SUBCASE("forgetting a chat's secret never forgets the operator's equal one") {
      std::string operators = "ghp_operatorsOwnToken0123456";
      log::add_secret(operators);
      CHECK_FALSE(add_chat_secret(operators)); // already registered: not tracked as a chat's
      for (size_t i = 0; i < k_max_chat_secrets + 1; ++i) {
        add_chat_secret("ghp_opFiller" + std::to_string(1'000'000 + i) + "abcdef");
      }
      CHECK(log::redact(operators) == "***");
    }
  }
}
