#include "common/jsonl/scan.hpp"
#include "common/llm/fallback.hpp"
#include "common/llm/text.hpp"

#include <doctest/doctest.h>

using namespace m2g;

namespace {

bool valid_utf8(const std::string& text) {
  return jsonl::valid_utf8_prefix(text) == text.size();
}

std::string repeat(std::string_view unit, int times) {
  std::string out;
  for (int i = 0; i < times; ++i) {
    out += unit;
  }
  return out;
}

bool ends_with(const std::string& text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

} // namespace

TEST_SUITE("llm") {
  TEST_CASE("m2g::llm::fallback_title") {
    SUBCASE("a short first line is the title as it is") {
      CHECK(llm::fallback_title("Buy milk and eggs") == "Buy milk and eggs");
      CHECK(llm::fallback_title("  spaced\t out   words ") == "spaced out words");
    }
    SUBCASE("only the first non-blank line counts") {
      CHECK(llm::fallback_title("\n\n  \nfirst line\nsecond line") == "first line");
    }
    SUBCASE("more than eight words are cut to eight with an ellipsis") {
      CHECK(llm::fallback_title("one two three four five six seven eight nine ten") ==
            "one two three four five six seven eight…");
    }
    SUBCASE("Markdown markers go, hashtags stay") {
      CHECK(llm::fallback_title("## Meeting notes") == "Meeting notes");
      CHECK(llm::fallback_title("> quoted idea") == "quoted idea");
      CHECK(llm::fallback_title("- [ ] call mom") == "call mom");
      CHECK(llm::fallback_title("#idea build a boat") == "#idea build a boat");
    }
    SUBCASE("no words gives the empty title") {
      CHECK(llm::fallback_title("") == "Untitled");
      CHECK(llm::fallback_title(" \n\t \u3000") == "Untitled");
      CHECK(llm::fallback_title("", "Photo") == "Photo");
    }
    SUBCASE("CJK without spaces is cut at a character boundary within 60 bytes") {
      std::string text = repeat("日本語のテキスト", 10); // 240 bytes, one "word"
      std::string title = llm::fallback_title(text);
      CHECK(title.size() <= llm::k_fallback_max_bytes);
      CHECK(valid_utf8(title));
      CHECK(ends_with(title, "…"));
      CHECK(text.compare(0, title.size() - 3, title, 0, title.size() - 3) == 0);
    }
    SUBCASE("emoji ZWJ sequences and flags are never torn apart") {
      const std::string family = "👨‍👩‍👧‍👦"; // 25 bytes, 7 code points
      std::string title = llm::fallback_title(repeat(family, 8));
      REQUIRE(ends_with(title, "…"));
      std::string kept = title.substr(0, title.size() - 3);
      CHECK(valid_utf8(title));
      CHECK(kept.size() % family.size() == 0);
      CHECK(kept == repeat(family, static_cast<int>(kept.size() / family.size())));

      const std::string flag = "🇩🇪"; // two regional indicators, 8 bytes
      std::string mixed = repeat(flag, 3);
      mixed += "🇫";
      mixed += repeat(flag, 20);
      std::string flags = llm::fallback_title(mixed);
      CHECK(valid_utf8(flags));
      CHECK(flags.size() <= llm::k_fallback_max_bytes);
    }
    SUBCASE("combining marks stay with their letter") {
      std::string text = repeat("e\u0301", 40); // é as e + combining acute, 3 bytes each
      std::string title = llm::fallback_title(text);
      std::string kept = title.substr(0, title.size() - 3);
      CHECK(kept.size() % 3 == 0);
      CHECK(valid_utf8(title));
    }
    SUBCASE("a very long word is cut to the byte limit") {
      std::string text(200, 'a');
      text += " tail";
      std::string title = llm::fallback_title(text);
      CHECK(title.size() <= llm::k_fallback_max_bytes);
      CHECK(ends_with(title, "…"));
    }
    SUBCASE("long words cut at a space when one is near the limit") {
      std::string title = llm::fallback_title("internationalization localization globalization accessibility");
      CHECK(title == "internationalization localization globalization…");
    }
    SUBCASE("invalid UTF-8 in the input never reaches the title") {
      std::string title = llm::fallback_title(std::string("ok \xff\xfe bytes \xe6\x97"));
      CHECK(valid_utf8(title));
      CHECK(title.substr(0, 2) == "ok");
    }
  }

  TEST_CASE("m2g::llm::cut_utf8") {
    SUBCASE("text that fits is unchanged") {
      CHECK(llm::cut_utf8("abc", 3) == "abc");
    }
    SUBCASE("never splits a multi-byte character") {
      CHECK(llm::cut_utf8("aé", 2) == "a");
      CHECK(llm::cut_utf8("日本", 5) == "日");
      CHECK(llm::cut_utf8("😀x", 3).empty());
    }
    SUBCASE("steps back over a variation selector and skin tone") {
      CHECK(llm::cut_utf8("a❤\uFE0F", 4) == "a");
      CHECK(llm::cut_utf8("a👍🏽", 5) == "a");
    }
  }

  TEST_CASE("m2g::llm::split_words") {
    auto words = llm::split_words("a\u00A0b\u3000c  d\n");
    REQUIRE(words.size() == 4);
    CHECK(words[0] == "a");
    CHECK(words[3] == "d");
  }
}
