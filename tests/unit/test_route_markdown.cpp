#include "common/route/markdown.hpp"

#include <doctest/doctest.h>

using namespace m2g::route;
using nlohmann::json;

namespace {
json entity(const char* type, int offset, int length) {
  return {{"type", type}, {"offset", offset}, {"length", length}};
}
} // namespace

TEST_SUITE("route") {
  TEST_CASE("m2g::route::to_markdown") {
    SUBCASE("no entities: byte for byte") {
      std::string text = "שלום 👋 مرحبا *not bold* <tag> &";
      CHECK(to_markdown(text, json::array()) == text);
      CHECK(to_markdown(text, json()) == text);
    }
    SUBCASE("formatting entities") {
      CHECK(to_markdown("bold it", json::array({entity("bold", 0, 4)})) == "**bold** it");
      CHECK(to_markdown("an italic", json::array({entity("italic", 3, 6)})) == "an *italic*");
      CHECK(to_markdown("x strike", json::array({entity("strikethrough", 2, 6)})) == "x ~~strike~~");
      CHECK(to_markdown("run ls", json::array({entity("code", 4, 2)})) == "run `ls`");
      CHECK(to_markdown("u", json::array({entity("underline", 0, 1)})) == "<ins>u</ins>");
    }
    SUBCASE("offsets count UTF-16 units: emoji before an entity") {
      // 😀 is two units, so "bold" starts at unit 3.
      CHECK(to_markdown("😀 bold", json::array({entity("bold", 3, 4)})) == "😀 **bold**");
    }
    SUBCASE("spaces stay outside the markers") {
      CHECK(to_markdown("a bold b", json::array({entity("bold", 1, 6)})) == "a **bold** b");
    }
    SUBCASE("nested entities close inside out") {
      json e = json::array({entity("bold", 0, 9), entity("italic", 5, 4)});
      CHECK(to_markdown("bold ital", e) == "**bold *ital***");
    }
    SUBCASE("text links and pre") {
      json link = {{"type", "text_link"}, {"offset", 0}, {"length", 4}, {"url", "https://x.org"}};
      CHECK(to_markdown("site", json::array({link})) == "[site](https://x.org)");
      json pre = {{"type", "pre"}, {"offset", 5}, {"length", 5}, {"language", "sh"}};
      CHECK(to_markdown("code:ls -l", json::array({pre})) == "code:\n```sh\nls -l\n```");
    }
    SUBCASE("no markup inside code") {
      json e = json::array({entity("code", 0, 6), entity("bold", 1, 2)});
      CHECK(to_markdown("a*b*cd", e) == "`a*b*cd`");
    }
    SUBCASE("entities that do not fit are ignored") {
      CHECK(to_markdown("abc", json::array({entity("bold", 2, 5)})) == "abc");
      CHECK(to_markdown("abc", json::array({entity("bold", -1, 2), "junk"})) == "abc");
    }
    SUBCASE("urls, hashtags and mentions keep their text") {
      json e = json::array({entity("url", 0, 13), entity("hashtag", 14, 4)});
      CHECK(to_markdown("https://a.org #tag", e) == "https://a.org #tag");
    }
  }

  TEST_CASE("m2g::route::drop_prefix") {
    std::string text = "#todo 😀 buy milk";
    json e = json::array({entity("hashtag", 0, 5), entity("bold", 9, 3), entity("italic", 3, 10)});
    drop_prefix(text, e, 6);
    CHECK(text == "😀 buy milk");
    REQUIRE(e.size() == 2);
    CHECK(e[0]["offset"] == 3); // bold "buy": unit 9 - 6
    CHECK(e[1]["offset"] == 0); // italic clipped to the start
    CHECK(e[1]["length"] == 7);
    CHECK(to_markdown(text, e) == "*😀 **buy***" + std::string(" milk"));
  }
}

TEST_SUITE("route") {
  TEST_CASE("m2g::route::trim_text") {
    std::string text = "  😀 bold  \n";
    json e = json::array({entity("bold", 5, 6), entity("italic", 9, 2)});
    trim_text(text, e);
    CHECK(text == "😀 bold");
    REQUIRE(e.size() == 1); // the italic was all whitespace after the text
    CHECK(e[0]["offset"] == 3);
    CHECK(e[0]["length"] == 4);
  }
}

TEST_SUITE("route") {
  TEST_CASE("m2g::route::entity_offset_overflow") {
    // Found by fuzz_markdown (UBSan: offset + length overflowed int64). Telegram's offsets and
    // lengths are any JSON integers in a forged update; one that runs past int64 runs past the
    // text, and is treated like any other entity that does.
    auto huge = [](const char* type, int64_t offset, int64_t length) {
      return json{{"type", type}, {"offset", offset}, {"length", length}};
    };
    SUBCASE("to_markdown ignores entities that end past int64") {
      json e = json::array({huge("bold", INT64_MAX, INT64_MAX), huge("italic", 1, INT64_MAX),
                            huge("code", INT64_MAX, 1), huge("bold", 0, 2)});
      CHECK(to_markdown("hello", e) == "**he**llo");
    }
    SUBCASE("trim_text clips a length past int64 to the text, as it clips any long one") {
      std::string text = " xhello world", long_text = text;
      json e = json::array({huge("bold", 2, INT64_MAX)});
      json long_e = json::array({huge("bold", 2, 1000)});
      trim_text(text, e);
      trim_text(long_text, long_e);
      CHECK(e == long_e);
      CHECK(to_markdown(text, e) == "x**hello world**");
    }
  }
}
