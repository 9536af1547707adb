#include "tests/unit/scratch.hpp"

#include "common/route/stats.hpp"
#include "common/route/text.hpp"

#include <doctest/doctest.h>

using namespace m2g;
using namespace m2g::route;

TEST_SUITE("route") {
  TEST_CASE("m2g::route::StatsStore::record") {
    auto db = sqlite::Db::open(test::fresh_dir("stats") + "/s.db").take_or_throw();
    auto stats = StatsStore::open(db).take_or_throw();
    for (int i = 0; i < 3; ++i) {
      stats.record(1, 100, "note").throw_if_failed();
    }
    stats.record(1, 101, "todo").throw_if_failed();
    stats.record(1, 50, "books.md").throw_if_failed();
    stats.record(2, 101, "note").throw_if_failed();

    SUBCASE("one chat") {
      auto s = stats.chat(1, 90).take_or_throw();
      CHECK(s.total == 5);
      REQUIRE(s.per_target.size() == 3);
      CHECK(s.per_target[0] == std::pair<std::string, int64_t>("note", 3));
      CHECK(s.per_day.size() == 2); // day 50 is before `since`
      CHECK(s.per_day[100] == 3);
      CHECK(s.chats == 1);
    }
    SUBCASE("all chats") {
      auto s = stats.global(90).take_or_throw();
      CHECK(s.total == 6);
      CHECK(s.chats == 2);
      CHECK(s.per_day[101] == 2);
    }
  }

  TEST_CASE("m2g::route::activity_grid") {
    std::map<int64_t, int64_t> days{{71, 1}, {80, 4}, {90, 7}, {100, 11}, {60, 50}};
    std::string grid = activity_grid(days, 100);
    auto rows = words(grid);
    REQUIRE(rows.size() == 3);
    for (const auto& row : rows) {
      size_t squares = 0;
      for (size_t pos = 0; pos < row.size(); ++squares) {
        next_code_point(row, pos);
      }
      CHECK(squares == 10);
    }
    CHECK(rows[0].rfind("🟩⬜", 0) == 0); // day 71 is the oldest
    CHECK(grid.find("🟨") != std::string::npos);
    CHECK(grid.find("🟧") != std::string::npos);
    CHECK(rows[2].substr(rows[2].size() - 4) == "🟥"); // today, last
    CHECK(activity_grid({}, 100).find("🟩") == std::string::npos);
  }

  TEST_CASE("m2g::route::render_summary") {
    Summary s;
    s.total = 3;
    s.per_target = {{"note", 2}, {"a<b>.md", 1}};
    s.per_day = {{100, 2}, {99, 1}};
    std::string text = render_summary(s, 100, false);
    CHECK(text.find("Messages filed: 3 (last 30 days: 3, today: 2)") != std::string::npos);
    CHECK(text.find("📝 note: 2") != std::string::npos);
    CHECK(text.find("a&lt;b&gt;.md") != std::string::npos);
    CHECK(text.find("30-day activity") != std::string::npos);
    CHECK(utf16_length(text) <= k_max_message_units);
  }
}
