#include "common/github/base64.hpp"
#include "common/github/client.hpp"
#include "common/github/iso8601.hpp"

#include <doctest/doctest.h>

using namespace m2g;
using namespace m2g::github;

namespace {

http::ClientResponse response(int status, std::vector<http::Header> headers, std::string body = "{}") {
  http::ClientResponse r;
  r.status = status;
  r.headers = std::move(headers);
  r.body = std::move(body);
  return r;
}

} // namespace

TEST_SUITE("github") {
  TEST_CASE("m2g::github::rate_limit_wait") {
    const int64_t now = 1'700'000'000;
    const Millis fallback(60'000);
    SUBCASE("Retry-After wins") {
      auto wait = rate_limit_wait(response(403, {{"Retry-After", "7"}, {"x-ratelimit-remaining", "0"}}), now, fallback);
      REQUIRE(wait);
      CHECK(wait->count() == 7000);
    }
    SUBCASE("a spent primary budget waits until its reset") {
      auto wait = rate_limit_wait(
          response(403, {{"x-ratelimit-remaining", "0"}, {"x-ratelimit-reset", std::to_string(now + 42)}}), now,
          fallback);
      REQUIRE(wait);
      CHECK(wait->count() == 42'000);
    }
    SUBCASE("a reset in the past still waits a second") {
      auto wait = rate_limit_wait(
          response(429, {{"x-ratelimit-remaining", "0"}, {"x-ratelimit-reset", std::to_string(now - 5)}}), now,
          fallback);
      REQUIRE(wait);
      CHECK(wait->count() == 1000);
    }
    SUBCASE("a secondary limit without headers falls back") {
      auto wait = rate_limit_wait(response(403, {}, R"({"message":"You have exceeded a secondary rate limit"})"), now,
                                  fallback);
      REQUIRE(wait);
      CHECK(*wait == fallback);
      CHECK(rate_limit_wait(response(429, {}), now, fallback) == fallback);
    }
    SUBCASE("a plain 403 and other statuses are not rate limits") {
      CHECK_FALSE(rate_limit_wait(response(403, {}, R"({"message":"Resource not accessible"})"), now, fallback));
      CHECK_FALSE(rate_limit_wait(response(200, {{"Retry-After", "5"}}), now, fallback));
      CHECK_FALSE(rate_limit_wait(response(500, {{"Retry-After", "5"}}), now, fallback));
    }
  }

  TEST_CASE("m2g::github::is_write") {
    for (const char* method : {"POST", "PATCH", "PUT", "DELETE"}) {
      CHECK(is_write(method));
    }
    CHECK_FALSE(is_write("GET"));
    CHECK_FALSE(is_write("HEAD"));
  }

  TEST_CASE("m2g::github::base64_encode") {
    CHECK(base64_encode("") == "");
    CHECK(base64_encode("f") == "Zg==");
    CHECK(base64_encode("fo") == "Zm8=");
    CHECK(base64_encode("foo") == "Zm9v");
    CHECK(base64_encode(std::string("\xff\x00\xfe", 3)) == "/wD+");
  }

  TEST_CASE("m2g::github::base64_decode") {
    SUBCASE("round trip of every byte") {
      std::string all;
      for (int c = 0; c < 256; ++c) {
        all += static_cast<char>(c);
      }
      CHECK(base64_decode(base64_encode(all)) == all);
    }
    SUBCASE("GitHub's line breaks are ignored") {
      CHECK(base64_decode("Zm9v\nYmFy\n") == "foobar");
    }
    SUBCASE("garbage is refused") {
      CHECK_FALSE(base64_decode("Zm9v!"));
      CHECK_FALSE(base64_decode("Z"));
    }
  }

  TEST_CASE("m2g::github::iso8601") {
    CHECK(iso8601(0) == "1970-01-01T00:00:00Z");
    CHECK(iso8601(1732531200) == "2024-11-25T10:40:00Z");
    CHECK(parse_iso8601("2024-11-25T10:40:00Z") == 1732531200);
    CHECK(parse_iso8601(iso8601(951782400)) == 951782400); // 2000-02-29
    CHECK_FALSE(parse_iso8601("yesterday"));
  }
}
