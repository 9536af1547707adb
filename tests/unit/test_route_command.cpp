#include "common/route/command.hpp"

#include <doctest/doctest.h>

using namespace m2g::route;

TEST_SUITE("route") {
  TEST_CASE("m2g::route::parse_command") {
    SUBCASE("as people type them") {
      for (const char* text : {"/todo 5", "/TODO 5", "/todo@MyBot 5", "  /Todo@MyBot    5  ", "/todo\t5"}) {
        CAPTURE(text);
        auto c = parse_command(text);
        REQUIRE(c);
        CHECK(c->name == "todo");
        CHECK(c->args == "5");
        CHECK(c->words == std::vector<std::string>{"5"});
      }
    }
    SUBCASE("mention and args") {
      auto c = parse_command("/customfile@Bot  add   books/reading");
      REQUIRE(c);
      CHECK(c->mention == "Bot");
      CHECK(c->words == std::vector<std::string>{"add", "books/reading"});
      CHECK(c->args == "add   books/reading");
    }
    SUBCASE("args_offset points at the args in the text") {
      std::string text = "/note   hello *world*";
      auto c = parse_command(text);
      REQUIRE(c);
      CHECK(text.substr(c->args_offset) == "hello *world*");
    }
    SUBCASE("no args") {
      auto c = parse_command("/help");
      REQUIRE(c);
      CHECK(c->args.empty());
      CHECK(c->words.empty());
    }
    SUBCASE("not commands") {
      CHECK_FALSE(parse_command("hello /todo"));
      CHECK_FALSE(parse_command("/usr/bin is a path"));
      CHECK_FALSE(parse_command("/ hello"));
      CHECK_FALSE(parse_command("/todo@ 5"));
      CHECK_FALSE(parse_command("/" + std::string(33, 'a')));
      CHECK_FALSE(parse_command(""));
      CHECK_FALSE(parse_command("/tödo"));
    }
  }

  TEST_CASE("m2g::route::addressed_to") {
    auto mine = parse_command("/todo@MyBot");
    auto other = parse_command("/todo@OtherBot");
    auto plain = parse_command("/todo");
    CHECK(addressed_to(*mine, "mybot"));
    CHECK(addressed_to(*mine, "@MyBot"));
    CHECK_FALSE(addressed_to(*other, "MyBot"));
    CHECK(addressed_to(*plain, "MyBot"));
    CHECK(addressed_to(*other, "")); // no username configured: accept all
  }
}
