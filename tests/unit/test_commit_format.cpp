#include "common/commit/format.hpp"

#include <doctest/doctest.h>

using namespace m2g::commit;

TEST_SUITE("commit") {
  TEST_CASE("m2g::commit::format_entry") {
    auto utc = TimeZone::utc();
    SUBCASE("every part") {
      CHECK(format_entry(42, -1001, *utc, 1732531200, "Title", "#a #b", "line 1\nline 2") ==
            "<!--[42] [-1001] [2024-11-25 10:40 UTC]-->\n## Title\n#a #b\nline 1\nline 2\n\n");
    }
    SUBCASE("no tags, no body") {
      CHECK(format_entry(1, 2, *utc, 0, "T", "", "") == "<!--[1] [2] [1970-01-01 00:00 UTC]-->\n## T\n\n");
    }
    SUBCASE("the chat's time zone is stated on the marker") {
      auto tokyo = TimeZone::load("Asia/Tokyo");
      if (tokyo.ok()) {
        CHECK(format_entry(1, 2, *tokyo.value(), 1732531200, "T", "", "x") ==
              "<!--[1] [2] [2024-11-25 19:40 Asia/Tokyo]-->\n## T\nx\n\n");
      }
    }
  }

  TEST_CASE("m2g::commit::format_todo") {
    CHECK(format_todo(7, 8, "buy milk", "2024-11-25") == "- [ ] <!--[7] [8]--> buy milk (2024-11-25)\n");
  }

  TEST_CASE("m2g::commit::format_issue") {
    CHECK(format_issue("o/r", 12, "Crash [x]", "https://github.com/o/r/issues/12") ==
          "- 🟢 o/r#12 [Crash \\[x\\]](https://github.com/o/r/issues/12)\n");
  }

  TEST_CASE("m2g::commit::format_day") {
    CHECK(format_day(*TimeZone::utc(), 1732579199) == "2024-11-25");
    CHECK(format_stamp(*TimeZone::utc(), 1732579199) == "2024-11-25 23:59");
  }
}
