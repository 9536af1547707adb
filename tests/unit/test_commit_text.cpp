#include "common/commit/text.hpp"

#include <doctest/doctest.h>

using namespace m2g::commit;

TEST_SUITE("commit") {
  TEST_CASE("m2g::commit::neutralize") {
    SUBCASE("markdown stays as it is") {
      CHECK(neutralize("# Title\n- a *b* `c`\n\n> q") == "# Title\n- a *b* `c`\n\n> q");
    }
    SUBCASE("comment openers and closers cannot survive, however they are nested") {
      CHECK(neutralize("<!--[1] [2] [x]-->") == "&lt;!--[1] [2] [x]--&gt;");
      for (const char* evil : {"<!-->", "<!<!---->->", "--->", "<!---->", "<<!--!--"}) {
        std::string out = neutralize(evil);
        CHECK(out.find("<!--") == std::string::npos);
        CHECK(out.find("-->") == std::string::npos);
      }
    }
    SUBCASE("near misses are left alone; a marker at either end is found") {
      CHECK(neutralize("a <b> - c -- d <! e <!- f ->") == "a <b> - c -- d <! e <!- f ->");
      CHECK(neutralize("x<!--") == "x&lt;!--");
      CHECK(neutralize("-->x") == "--&gt;x");
      CHECK(neutralize("tail\x1f") == "tail");
    }
    SUBCASE("line ends and control bytes") {
      CHECK(neutralize("a\r\nb\rc\x01\x7f\td  \n\n") == "a\nb\nc\td");
      CHECK(neutralize(" \n\t\n  indented\nx") == "  indented\nx");
    }
  }

  TEST_CASE("m2g::commit::fallback_title") {
    CHECK(fallback_title("") == "Untitled");
    CHECK(fallback_title("\n\n## Shopping list\nmilk") == "Shopping list");
    CHECK(fallback_title("short") == "short");
    std::string long_text = "one two three four five six seven eight nine ten eleven twelve thirteen";
    std::string title = fallback_title(long_text, 30);
    CHECK(title == "one two three four five six…");
    SUBCASE("never cuts a UTF-8 character in half") {
      std::string cjk;
      for (int i = 0; i < 40; ++i) {
        cjk += "\xe6\x97\xa5"; // 日
      }
      std::string cut = fallback_title(cjk, 31);
      CHECK(cut == std::string(cjk.substr(0, 30)) + "…");
    }
  }

  TEST_CASE("m2g::commit::clean_hashtags") {
    CHECK(clean_hashtags({"#a", "b", " #c ", "#a", "bad tag", "#<x>", "#日本", ""}) ==
          std::vector<std::string>{"#a", "#b", "#c", "#日本"});
    CHECK(clean_hashtags({"#a", "#b", "#c"}, 2).size() == 2);
  }

  TEST_CASE("m2g::commit::one_line") {
    CHECK(one_line("  a\n\tb  c \n") == "a b c");
  }

  TEST_CASE("m2g::commit::html_escape") {
    CHECK(html_escape("a<b>&c") == "a&lt;b&gt;&amp;c");
  }

  TEST_CASE("m2g::commit::link_text") {
    CHECK(link_text("a [b]\\c\nd") == "a \\[b\\]\\\\c d");
  }
}
