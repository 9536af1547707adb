#include "common/route/keyboard.hpp"
#include "common/route/targets.hpp"

#include <doctest/doctest.h>

using namespace m2g::route;

TEST_SUITE("route") {
  TEST_CASE("m2g::route::leading_shortcut") {
    SUBCASE("recognised, any case, tag and spacing stripped") {
      auto s = leading_shortcut("#TODO   buy milk");
      REQUIRE(s);
      CHECK(s->target->name == "todo");
      CHECK(std::string("#TODO   buy milk").substr(s->length) == "buy milk");
      CHECK(leading_shortcut("#idea\nline two")->target->name == "idea");
      CHECK(leading_shortcut("  #issue crash")->target->name == "issue");
      CHECK(leading_shortcut("#note")->length == 5);
    }
    SUBCASE("not shortcuts") {
      CHECK_FALSE(leading_shortcut("#todos buy"));
      CHECK_FALSE(leading_shortcut("buy #todo"));
      CHECK_FALSE(leading_shortcut("#random"));
      CHECK_FALSE(leading_shortcut("#"));
      CHECK_FALSE(leading_shortcut(""));
    }
  }

  TEST_CASE("m2g::route::resolve_destination") {
    std::vector<std::string> custom{"books/reading.md"};
    CHECK(resolve_destination("INBOX", custom)->file == "inbox.md");
    CHECK(resolve_destination("books/reading", custom)->target == "custom");
    CHECK(resolve_destination("books/reading.md", custom)->file == "books/reading.md");
    CHECK_FALSE(resolve_destination("books", custom));
  }

  TEST_CASE("m2g::route::filing_keyboard") {
    SUBCASE("text: six targets, custom files, cancel; all data within 64 bytes") {
      std::vector<std::string> custom{"books/reading.md", "日本語のとても長いファイル名前です.md", "c.md"};
      auto k = filing_keyboard(9'007'199'254'740'991, false, custom);
      auto& rows = k["inline_keyboard"];
      REQUIRE(rows.size() == 5);
      CHECK(rows[0].size() == 3);
      CHECK(rows[0][0]["text"] == "📝 NOTE");
      CHECK(rows[0][1]["callback_data"] == "f:todo:9007199254740991");
      CHECK(rows[2][0]["callback_data"] == "f:c0:9007199254740991");
      CHECK(rows[2][0]["text"] == "📄 books/reading");
      CHECK(rows[3][0]["callback_data"] == "f:c2:9007199254740991");
      CHECK(rows[4][0]["text"] == "❌ CANCEL");
      for (const auto& row : rows) {
        for (const auto& button : row) {
          CHECK(button["callback_data"].get<std::string>().size() <= 64);
        }
      }
    }
    SUBCASE("photos get no TODO button") {
      auto k = filing_keyboard(5, true, {});
      std::string dump = k.dump();
      CHECK(dump.find("f:todo:") == std::string::npos);
      CHECK(dump.find("f:note:5") != std::string::npos);
    }
    SUBCASE("long labels are cut at a character boundary") {
      std::string label = custom_file_label("日本語のとても長いファイル名前ですよ本当に長い長い長い長い長い名前.md");
      CHECK(nlohmann::json(label).dump().find("\\u") == std::string::npos);
      CHECK(label.find("…") != std::string::npos);
    }
  }
}
