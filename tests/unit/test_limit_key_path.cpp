#include "common/limit/key_path.hpp"

#include <doctest/doctest.h>
#include <set>

using namespace m2g::limit;

TEST_SUITE("limit") {
  TEST_CASE("m2g::limit::KeyPath::find") {
    std::string scratch;
    auto text = [&](const KeyPath& path, std::string_view line) {
      KeyValue value = path.find(line);
      return value.missing() ? std::string("<missing>") : std::string(canonical_key(value, scratch));
    };
    SUBCASE("a top-level number or string") {
      KeyPath path("user_id");
      CHECK(text(path, R"({"v":1,"kind":"job","user_id":42,"text":"x"})") == "42");
      CHECK(text(path, R"({"v":1,"kind":"job","user_id":"alice"})") == "alice");
      CHECK(path.find(R"({"user_id":42})").type == KeyValue::Type::other);
      CHECK(path.find(R"({"user_id":"42"})").type == KeyValue::Type::string);
    }
    SUBCASE("values before the key are skipped, whatever they hold") {
      KeyPath path("user_id");
      CHECK(text(path, R"({"a":{"user_id":1,"b":[1,{"c":"}"}]},"s":"\"user_id\":7","user_id":9})") == "9");
      CHECK(text(path, R"( { "x" : [ ] , "user_id" : -3.5e2 } )") == "-3.5e2");
      CHECK(text(path, R"({"t":true,"f":false,"n":null,"user_id":[1,2]})") == "[1,2]");
    }
    SUBCASE("a dotted path descends into objects") {
      KeyPath path("from.id");
      CHECK(text(path, R"({"from":{"name":"x","id":7},"id":"not this"})") == "7");
      CHECK(text(path, R"({"id":1,"from":{"name":"x"}})") == "<missing>");
      CHECK(text(path, R"({"from":5})") == "<missing>");
      CHECK(text(path, R"({"from":"id"})") == "<missing>");
    }
    SUBCASE("missing, null and the first occurrence") {
      KeyPath path("user_id");
      CHECK(text(path, R"({"v":1,"kind":"job"})") == "<missing>");
      CHECK(text(path, R"({"user_id":null})") == "<missing>");
      CHECK(text(path, R"({"user_id":1,"user_id":2})") == "1");
      CHECK(text(path, R"({"user_ids":1})") == "<missing>");
    }
    SUBCASE("escapes in names and values are decoded") {
      KeyPath path("user_id");
      CHECK(text(path, R"({"user\u005fid":"b\u00e9\"q"})") == "b\xc3\xa9\"q");
      CHECK(text(path, R"({"s":"a\\","user_id":"x\\"})") == "x\\");
    }
    SUBCASE("broken input never reads past the end") {
      KeyPath path("a.b");
      CHECK(text(path, R"({"a":{"b")") == "<missing>");
      CHECK(text(path, R"({"a":{"b":)") == "<missing>");
      CHECK(text(path, R"({"a":"unterminated)") == "<missing>");
      CHECK(text(path, "") == "<missing>");
      CHECK(text(path, "[1]") == "<missing>");
    }
    SUBCASE("empty segments are refused") {
      CHECK_THROWS_AS(KeyPath(""), std::invalid_argument);
      CHECK_THROWS_AS(KeyPath("a..b"), std::invalid_argument);
      CHECK_THROWS_AS(KeyPath("a."), std::invalid_argument);
    }
  }

  TEST_CASE("m2g::limit::KeyHasher") {
    KeyHasher hasher(12345);
    SUBCASE("equal keys hash equal, different keys differ, 0 and 1 are reserved") {
      CHECK(hasher("42") == hasher(std::string("42")));
      CHECK(hasher("42") != hasher("43"));
      CHECK(hasher("") != hasher("0"));
      std::set<uint64_t> seen;
      for (int i = 0; i < 100'000; ++i) {
        uint64_t h = hasher(std::to_string(i));
        CHECK(h >= 2);
        seen.insert(h);
      }
      CHECK(seen.size() == 100'000);
    }
    SUBCASE("the seed changes every hash") {
      KeyHasher other(54321);
      CHECK(hasher("42") != other("42"));
      CHECK(hasher("a long key of more than eight bytes") != other("a long key of more than eight bytes"));
    }
  }
}
