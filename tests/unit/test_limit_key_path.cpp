#include "common/limit/key_path.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>
#include <random>
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

  TEST_CASE("m2g::limit::KeyPath::find agrees with a JSON parser") {
    // Random objects with the key at random places, nested look-alikes, escapes, braces and
    // quotes inside strings: whatever path find() takes, it must agree with a real parser.
    using nlohmann::json;
    std::mt19937 random(11);
    auto text = [&] {
      static const char* const pieces[] = {"plain", "user_id", "\"user_id\":1", "{", "[", "\\", "\n", "é", ",", ":"};
      std::string out;
      for (int i = static_cast<int>(random() % 4); i > 0; --i) {
        out += pieces[random() % 10];
      }
      return out;
    };
    KeyPath path("user_id");
    KeyPath nested("from.id");
    std::string scratch;
    for (int round = 0; round < 5000; ++round) {
      json line = json::object();
      bool has_key = random() % 4 != 0;
      json key = random() % 2 ? json(static_cast<int64_t>(random())) : json(text());
      // json objects keep their keys sorted, so field names decide where the key lands.
      for (int i = static_cast<int>(random() % 5); i > 0; --i) {
        std::string name = std::string(1, static_cast<char>('a' + random() % 26)) + text();
        if (name == "user_id" || name == "from") {
          continue;
        }
        switch (random() % 3) {
        case 0:
          line[name] = text();
          break;
        case 1:
          line[name] = json{{"user_id", 999}, {"x", json::array({1, text()})}};
          break;
        default:
          line[name] = json::array({json{{"user_id", 998}}, text()});
        }
      }
      if (has_key) {
        line["user_id"] = key;
        line["from"] = json{{"id", key}, {"user_id", 997}};
      }
      std::string raw = line.dump(random() % 2 ? -1 : 1); // compact, or with newlines and spaces
      for (char& c : raw) {
        if (c == '\n') {
          c = ' ';
        }
      }
      for (const KeyPath* p : {&path, &nested}) {
        KeyValue found = p->find(raw);
        REQUIRE(found.missing() == !has_key);
        if (has_key) {
          std::string got(canonical_key(found, scratch));
          std::string want = key.is_string() ? key.get<std::string>() : key.dump();
          CHECK(got == want);
        }
      }
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
