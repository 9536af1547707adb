#include "common/jsonl/line.hpp"

#include <doctest/doctest.h>

using namespace m2g::jsonl;

TEST_SUITE("jsonl") {
  TEST_CASE("m2g::jsonl::decode") {
    SUBCASE("a contract line") {
      auto line = decode(R"({"v":1,"kind":"job","id":"c:1","chat_id":5})", 7);
      REQUIRE(line.ok());
      CHECK(line->kind() == Kind::job);
      CHECK(line->id() == "c:1");
      CHECK(line->number() == 7);
      CHECK(line->json_value()["chat_id"] == 5);
    }
    SUBCASE("unknown kinds are kept as other, not refused") {
      auto line = decode(R"({"v":1,"kind":"telemetry"})", 1);
      REQUIRE(line.ok());
      CHECK(line->kind() == Kind::other);
    }
    SUBCASE("escaped kind and id are decoded") {
      auto line = decode(R"({"v":1,"kind":"res\u0075lt","id":"\u00e9"})", 1);
      REQUIRE(line.ok());
      CHECK(line->kind() == Kind::result);
      CHECK(line->id() == "\xc3\xa9");
    }
    SUBCASE("each contract violation says what is wrong") {
      CHECK(decode("[1]", 1).error() == "not a JSON object");
      CHECK(decode(R"({"kind":"job"})", 1).error().find("\"v\"") != std::string::npos);
      CHECK(decode(R"({"v":2,"kind":"job"})", 1).error().find("version 2") != std::string::npos);
      CHECK(decode(R"({"v":1})", 1).error().find("kind") != std::string::npos);
      CHECK(decode(R"({"v":1,"kind":"job")", 1).error().find("malformed JSON") == 0);
    }
  }

  TEST_CASE("m2g::jsonl::derive") {
    json job = {{"v", 1}, {"kind", "job"}, {"id", "j"}, {"chat_id", 1}, {"text", "secret note"}, {"qid", "t:3"}};
    json result = derive(job, Kind::result);
    CHECK(result["kind"] == "result");
    CHECK(result["id"] == "j");
    CHECK(result["chat_id"] == 1);
    CHECK(result["qid"] == "t:3");
    CHECK_FALSE(result.contains("text"));
    CHECK(result["v"] == k_version);
  }

  TEST_CASE("m2g::jsonl::with_string_field") {
    CHECK(with_string_field(R"({"a":1})", "qid", "t:1") == R"({"qid":"t:1","a":1})");
    CHECK(with_string_field("{}", "qid", "t:1") == R"({"qid":"t:1"})");
    CHECK(json::parse(with_string_field(R"({"qid":"old","a":1})", "qid", "t:2"))["qid"] == "t:2");
  }

  TEST_CASE("m2g::jsonl::dump") {
    json value = std::string("bad \xff byte");
    CHECK_NOTHROW(dump(value));
    CHECK(dump(json{{"a", 1}}) == R"({"a":1})");
  }
}
