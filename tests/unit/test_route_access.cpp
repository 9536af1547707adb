#include "common/route/access.hpp"

#include <doctest/doctest.h>

using namespace m2g::route;

TEST_SUITE("route") {
  TEST_CASE("m2g::route::parse_chat_list") {
    auto ids = parse_chat_list(" 42, -1001234567890 ,7").take_or_throw();
    CHECK(ids.size() == 3);
    CHECK(ids.count(-1001234567890) == 1);
    CHECK(parse_chat_list("").take_or_throw().empty());
    CHECK(parse_chat_list("1 2").take_or_throw().size() == 2);
    CHECK(parse_chat_list("12,abc").failure().exit_code == 64);
    CHECK_FALSE(parse_chat_list("0").ok());
  }

  TEST_CASE("m2g::route::Access::check") {
    SUBCASE("allowed list only") {
      Access access({42}, false);
      CHECK(access.check(42, false) == Access::Verdict::allowed);
      CHECK(access.check(43, true) == Access::Verdict::refused);
      CHECK_FALSE(access.closed());
      CHECK(Access({}, false).closed());
    }
    SUBCASE("multi-user: registered chats too") {
      Access access({42}, true);
      CHECK(access.check(43, false) == Access::Verdict::must_register);
      CHECK(access.check(43, true) == Access::Verdict::allowed);
      CHECK(access.check(42, false) == Access::Verdict::allowed);
    }
  }

  TEST_CASE("m2g::route::Access::first_refusal") {
    Access access({}, false);
    CHECK(access.first_refusal(5));
    CHECK_FALSE(access.first_refusal(5));
    CHECK(access.first_refusal(6));
  }
}
