// The raw member reader must see a line as a parser does: the last of duplicate keys, nothing
// inside nested values or strings, escapes decoded, and a refusal where it cannot be sure.
#include "common/progress/fields.hpp"

#include <array>
#include <doctest/doctest.h>

using namespace m2g::progress;

namespace {
constexpr std::array<std::string_view, 4> k_keys{"chat_id", "title", "issue", "ok"};
} // namespace

TEST_SUITE("progress") {
  TEST_CASE("m2g::progress::find_members") {
    std::array<RawValue, 4> v;
    SUBCASE("top-level members of each type") {
      REQUIRE(find_members(R"({"v":1,"chat_id":-1001,"title":"a \"b\" \u00e9","issue":{"number":3},"ok":true})", k_keys,
                           v));
      CHECK(v[0].integer() == -1001);
      CHECK(v[1].escaped);
      CHECK(v[1].string() == "a \"b\" é");
      CHECK(v[2].type == RawValue::Type::object);
      CHECK(v[2].text == R"({"number":3})");
      CHECK(v[3].is_true());
    }
    SUBCASE("nested members and strings that look like keys are skipped") {
      REQUIRE(find_members(R"({"line":{"chat_id":5,"x":["}",{"title":"no"}]},"t":"\"chat_id\":6\\","ok":false})",
                           k_keys, v));
      CHECK_FALSE(v[0].present());
      CHECK_FALSE(v[1].present());
      CHECK(v[3].type == RawValue::Type::boolean);
      CHECK_FALSE(v[3].is_true());
    }
    SUBCASE("the last of duplicate keys wins, as in the parser") {
      REQUIRE(find_members(R"({"chat_id":1,"chat_id":2})", k_keys, v));
      CHECK(v[0].integer() == 2);
    }
    SUBCASE("whitespace anywhere between tokens") {
      REQUIRE(find_members(" {\n\t\"chat_id\" :\r 7 , \"title\" : null }", k_keys, v));
      CHECK(v[0].integer() == 7);
      CHECK(v[1].type == RawValue::Type::null);
      CHECK(v[1].string().empty());
    }
    SUBCASE("numbers: integers, floats, and what does not fit 64 bits") {
      REQUIRE(find_members(R"({"chat_id":1.5e3,"title":18446744073709551616})", k_keys, v));
      CHECK_FALSE(v[0].integer());
      CHECK(v[0].number() == 1500.0);
      CHECK_FALSE(v[1].integer());
      CHECK(v[1].number().has_value());
    }
    SUBCASE("a key spelled with escapes is left to a parser") {
      CHECK_FALSE(find_members(R"({"chat\u005fid":1})", k_keys, v));
    }
  }
}
