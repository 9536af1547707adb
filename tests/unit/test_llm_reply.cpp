#include "common/llm/reply.hpp"

#include <doctest/doctest.h>

using namespace m2g;

namespace {

std::vector<std::string> tags(std::initializer_list<const char*> list) {
  return {list.begin(), list.end()};
}

} // namespace

TEST_SUITE("llm") {
  TEST_CASE("m2g::llm::parse_title_reply") {
    SUBCASE("the JSON the prompt asks for") {
      auto reply = llm::parse_title_reply(R"({"title": "Grocery list", "hashtags": ["#food", "#shopping"]})");
      REQUIRE(reply);
      CHECK(reply->title == "Grocery list");
      CHECK(reply->hashtags == tags({"#food", "#shopping"}));
    }
    SUBCASE("a code fence with prose around it") {
      auto reply = llm::parse_title_reply("Sure! Here is the JSON:\n```json\n{\n  \"title\": \"Trip to Oslo\",\n"
                                          "  \"hashtags\": [\"#travel\"]\n}\n```\nLet me know if you need more.");
      REQUIRE(reply);
      CHECK(reply->title == "Trip to Oslo");
      CHECK(reply->hashtags == tags({"#travel"}));
    }
    SUBCASE("tags without # under the key \"tags\"") {
      auto reply = llm::parse_title_reply(R"({"title":"x","tags":["rust","async io"]})");
      REQUIRE(reply);
      CHECK(reply->hashtags == tags({"#rust", "#async_io"}));
    }
    SUBCASE("wrong types are coerced where the meaning is clear") {
      auto number = llm::parse_title_reply(R"({"title": 2024, "hashtags": "#year #plans, goals"})");
      REQUIRE(number);
      CHECK(number->title == "2024");
      CHECK(number->hashtags == tags({"#year", "#plans", "#goals"}));
      auto parts = llm::parse_title_reply(R"({"title": ["Big", "Day"], "hashtags": [7, null, {"a":1}, "ok"]})");
      REQUIRE(parts);
      CHECK(parts->title == "Big Day");
      CHECK(parts->hashtags == tags({"#7", "#ok"}));
      auto tags_number = llm::parse_title_reply(R"({"title": "t", "hashtags": 5})");
      REQUIRE(tags_number);
      CHECK(tags_number->hashtags == tags({"#5"}));
    }
    SUBCASE("titles of the wrong type, empty or missing are no reply") {
      CHECK_FALSE(llm::parse_title_reply(R"({"title": {"text": "x"}, "hashtags": ["#a"]})"));
      CHECK_FALSE(llm::parse_title_reply(R"({"title": null})"));
      CHECK_FALSE(llm::parse_title_reply(R"({"title": "   "})"));
      CHECK_FALSE(llm::parse_title_reply(R"({"hashtags": ["#a"]})"));
      CHECK_FALSE(llm::parse_title_reply("{}"));
    }
    SUBCASE("empty, blank or prose-only content is no reply") {
      CHECK_FALSE(llm::parse_title_reply(""));
      CHECK_FALSE(llm::parse_title_reply("   \n "));
      CHECK_FALSE(llm::parse_title_reply("I'm sorry, I cannot help with that."));
      CHECK_FALSE(llm::parse_title_reply("{\"title\": \"cut off"));
      CHECK_FALSE(llm::parse_title_reply("not json {{{ at all"));
    }
    SUBCASE("more than three tags keep the first three, duplicates once") {
      auto reply = llm::parse_title_reply(R"({"title":"t","hashtags":["#a","#A","b","#c","#d","#e"]})");
      REQUIRE(reply);
      CHECK(reply->hashtags == tags({"#a", "#b", "#c"}));
    }
    SUBCASE("a <think> block is skipped, even with braces inside") {
      auto reply = llm::parse_title_reply("<think>maybe {\"title\": \"wrong\"}</think>\n{\"title\": \"right\"}");
      REQUIRE(reply);
      CHECK(reply->title == "right");
      CHECK(reply->hashtags.empty());
    }
    SUBCASE("trailing commas are forgiven") {
      auto reply = llm::parse_title_reply("{\"title\": \"a\", \"hashtags\": [\"#b\",],}");
      REQUIRE(reply);
      CHECK(reply->title == "a");
      CHECK(reply->hashtags == tags({"#b"}));
    }
    SUBCASE("braces and escaped quotes inside strings do not end the object") {
      auto reply = llm::parse_title_reply(R"(x {"title": "a } \" b", "hashtags": []} y)");
      REQUIRE(reply);
      CHECK(reply->title == "a } \" b");
    }
    SUBCASE("the first object with a title wins") {
      auto reply = llm::parse_title_reply(R"({"note": 1} then {"title": "second"})");
      REQUIRE(reply);
      CHECK(reply->title == "second");
    }
    SUBCASE("keys are matched without regard to case") {
      auto reply = llm::parse_title_reply(R"({"Title": "T", "HashTags": ["#x"]})");
      REQUIRE(reply);
      CHECK(reply->title == "T");
      CHECK(reply->hashtags == tags({"#x"}));
    }
    SUBCASE("unicode escapes and non-Latin scripts") {
      auto reply = llm::parse_title_reply(R"({"title": "\u65e5\u672c\u306e\u65c5", "hashtags": ["旅行", "#日本"]})");
      REQUIRE(reply);
      CHECK(reply->title == "日本の旅");
      CHECK(reply->hashtags == tags({"#旅行", "#日本"}));
    }
    SUBCASE("the reference bot's title|#tags format, fenced or not") {
      auto reply = llm::parse_title_reply("Weekly plan|#work #planning");
      REQUIRE(reply);
      CHECK(reply->title == "Weekly plan");
      CHECK(reply->hashtags == tags({"#work", "#planning"}));
      auto fenced = llm::parse_title_reply("```\nWeekly plan|#work\n```");
      REQUIRE(fenced);
      CHECK(fenced->title == "Weekly plan");
    }
  }

  TEST_CASE("m2g::llm::normalize_title") {
    CHECK(llm::normalize_title("  Title: \"Hello world\". ") == "Hello world");
    CHECK(llm::normalize_title("**«Bonjour»**") == "Bonjour");
    CHECK(llm::normalize_title("Wait...") == "Wait...");
    CHECK(llm::normalize_title("a\nb\t c") == "a b c");
    CHECK(llm::normalize_title("1 2 3 4 5 6 7 8 9 10 11 12 13 14") == "1 2 3 4 5 6 7 8 9 10 11 12…");
    std::string long_title = llm::normalize_title(std::string(300, 'x'));
    CHECK(long_title.size() <= llm::k_max_title_bytes);
  }

  TEST_CASE("m2g::llm::normalize_hashtag") {
    CHECK(llm::normalize_hashtag("#ok") == "#ok");
    CHECK(llm::normalize_hashtag("##double") == "#double");
    CHECK(llm::normalize_hashtag("machine learning") == "#machine_learning");
    CHECK(llm::normalize_hashtag("e-commerce") == "#e_commerce");
    CHECK(llm::normalize_hashtag("C++") == "#C");
    CHECK(llm::normalize_hashtag("tag,") == "#tag");
    CHECK(llm::normalize_hashtag("«цитата»") == "#цитата");
    CHECK(llm::normalize_hashtag("#").empty());
    CHECK(llm::normalize_hashtag("  ").empty());
    CHECK(llm::normalize_hashtag("!!!").empty());
    CHECK(llm::normalize_hashtag(std::string(100, 'a')).size() == 1 + llm::k_max_hashtag_bytes);
  }
}
