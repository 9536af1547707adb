#include "common/commit/markers.hpp"

#include <doctest/doctest.h>
#include <string>

using namespace m2g::commit;

TEST_SUITE("commit") {
  TEST_CASE("m2g::commit::entry_keys") {
    SUBCASE("m2g's one-line marker and the reference bot's three-line marker") {
      std::string content = "<!--[5] [-100123] [2024-11-25 10:40 UTC]-->\n## a\n\n"
                            "<!--\n[4] [77] [2025-06-25 14:30] \n-->\n\n## b\n\n---\n\n"
                            "<!--[3] [77] [2025-06-25 14:30]-->\n## README form\n";
      auto keys = entry_keys(content);
      REQUIRE(keys.size() == 3);
      CHECK(keys[0] == EntryKey{5, -100123});
      CHECK(keys[1] == EntryKey{4, 77});
      CHECK(keys[2] == EntryKey{3, 77});
    }
    SUBCASE("markers inside a line, or malformed, are not entries") {
      CHECK(entry_keys("text <!--[1] [2] [x]-->\n").empty());
      CHECK(entry_keys("<!--[x] [2]-->\n<!-- comment -->\n<!--[1]-->\n").empty());
    }
  }

  TEST_CASE("m2g::commit::todo_lines") {
    std::string content = "# My TODOs\n\n"
                          "- [ ] <!--[12] [7]--> buy milk (2024-11-25)\n"
                          "- [x] <!--[11] [7]--> call (mum) (2024-11-24)\n"
                          "- [ ] hand-written item without id\n"
                          "- [ ] [10] [7] legacy with chat (2024-01-01)\n"
                          "- [ ] [9] legacy id only (2024-01-01)\n"
                          "- [ ] [8] not a todo: no date\n"
                          "some note\n";
    auto todos = todo_lines(content);
    REQUIRE(todos.size() == 4);
    CHECK(todos[0].message_id == 12);
    CHECK(todos[0].chat_id == 7);
    CHECK_FALSE(todos[0].done);
    CHECK(todos[0].text == "buy milk");
    CHECK(todos[0].date == "2024-11-25");
    CHECK(content[todos[0].box] == ' ');
    CHECK(todos[1].done);
    CHECK(todos[1].text == "call (mum)");
    CHECK(todos[2].chat_id == 7);
    CHECK(todos[2].text == "legacy with chat");
    CHECK_FALSE(todos[3].chat_id.has_value());
    CHECK(todos[3].message_id == 9);
  }

  TEST_CASE("m2g::commit::issue_lines") {
    std::string content = "- 🟢 o/r#120 [Big one](https://github.com/o/r/issues/120)\n"
                          "- 🔴 o/r#12 [Small \\] one](https://github.com/o/r/issues/12)\n"
                          "- 🟢 o/r#13 [Reference form]\n"
                          "- 🟢 [Fallback](#14)\n"
                          "- 🟢 o/r#12x [not an issue line]\n"
                          "- 🟡 o/r#15 [unknown state]\n";
    auto issues = issue_lines(content);
    REQUIRE(issues.size() == 4);
    CHECK(issues[0].number == 120);
    CHECK(issues[0].open);
    CHECK(issues[0].repo == "o/r");
    CHECK(issues[0].url == "https://github.com/o/r/issues/120");
    CHECK(issues[1].number == 12);
    CHECK_FALSE(issues[1].open);
    CHECK(issues[1].title == "Small \\] one");
    CHECK(issues[2].number == 13);
    CHECK(issues[2].url.empty());
    CHECK(issues[3].number == 14);
    CHECK(issues[3].repo.empty());
    CHECK(content.substr(issues[1].emoji, 4) == k_closed_emoji);
  }

  TEST_CASE("m2g::commit::markers_number_overflow") {
    // Found by fuzz_markers (UBSan: signed overflow). Ids past int64 are not ids: the line is
    // not an entry, TODO or issue line, rather than one with a wrapped (negative) number.
    SUBCASE("19 and 20 digits in an entry marker") {
      CHECK(entry_keys("<!--[9999999999999999999] [1] [2024-01-01 10:00 UTC]-->\n").empty());
      CHECK(entry_keys("<!--[1] [-99999999999999999999] [2024-01-01 10:00 UTC]-->\n").empty());
      auto max = entry_keys("<!--[9223372036854775807] [-9223372036854775807] [2024-01-01 10:00 UTC]-->\n");
      REQUIRE(max.size() == 1);
      CHECK(max[0] == EntryKey{INT64_MAX, -INT64_MAX});
    }
    SUBCASE("in a TODO line") {
      CHECK(todo_lines("- [ ] <!--[9223372036854775808] [7]--> x (2024-11-25)\n").empty());
    }
    SUBCASE("in the fallback issue form") {
      CHECK(issue_lines("- 🟢 [title](#99999999999999999999999)\n").empty());
      auto issues = issue_lines("- 🟢 [title](#9223372036854775807)\n");
      REQUIRE(issues.size() == 1);
      CHECK(issues[0].number == INT64_MAX);
    }
  }
}
