#include "common/jsonl/scan.hpp"
#include "common/progress/render.hpp"
#include "common/progress/text.hpp"

#include <doctest/doctest.h>

using namespace m2g;
using namespace m2g::progress;

namespace {
std::string text_of(const Frame& frame) {
  return frame.params["text"].get<std::string>();
}
std::string repeat(std::string_view piece, size_t n) {
  std::string out;
  for (size_t i = 0; i < n; ++i) {
    out += piece;
  }
  return out;
}
} // namespace

TEST_SUITE("progress") {
  TEST_CASE("m2g::progress::bar") {
    CHECK(bar(0) == "░░░░░░░░░░ 0%");
    CHECK(bar(10) == "▓░░░░░░░░░ 10%");
    CHECK(bar(50) == "▓▓▓▓▓░░░░░ 50%");
    CHECK(bar(59) == "▓▓▓▓▓░░░░░ 59%"); // a cell per whole 10 %
    CHECK(bar(100) == "▓▓▓▓▓▓▓▓▓▓ 100%");
    SUBCASE("out-of-range percentages are clamped") {
      CHECK(bar(250) == bar(100));
      CHECK(bar(-3) == bar(0));
    }
  }

  TEST_CASE("m2g::progress::render_progress") {
    SUBCASE("the line's own pct and text") {
      Frame frame = render_progress({{"step", "title"}, {"pct", 50}, {"text", "generating title…"}});
      CHECK(text_of(frame) == "▓▓▓▓▓░░░░░ 50% generating title…");
      CHECK(frame.params["parse_mode"] == "HTML");
      CHECK_FALSE(frame.final);
      CHECK(frame.from_progress);
      CHECK_FALSE(frame.params.contains("reply_markup"));
    }
    SUBCASE("a bare step gets its usual pct and words") {
      CHECK(text_of(render_progress({{"step", "committing"}})) == "▓▓▓▓▓▓▓░░░ 70% committing…");
      CHECK(text_of(render_progress({{"step", "queued"}})) == "▓░░░░░░░░░ 10% queued…");
      CHECK(text_of(render_progress({{"step", "whatever"}})) == "░░░░░░░░░░ 0% working…");
    }
    SUBCASE("garbage types do not throw") {
      CHECK(text_of(render_progress({{"pct", "x"}, {"text", 5}, {"step", nullptr}})) == "░░░░░░░░░░ 0% working…");
      CHECK(text_of(render_progress({{"pct", 42.9}})).starts_with("▓▓▓▓░░░░░░ 42%"));
      CHECK(text_of(render_progress({{"pct", 1e300}})).starts_with("▓▓▓▓▓▓▓▓▓▓ 100%"));
      CHECK(text_of(render_progress({{"pct", -1e300}})).starts_with("░░░░░░░░░░ 0%"));
    }
    SUBCASE("what a stage writes is escaped") {
      CHECK(text_of(render_progress({{"pct", 30}, {"text", "<b>x</b> & _y_"}})) ==
            "▓▓▓░░░░░░░ 30% &lt;b&gt;x&lt;/b&gt; &amp; _y_");
    }
  }

  TEST_CASE("m2g::progress::render_result") {
    SUBCASE("saved, with a title and a View button") {
      Frame frame = render_result(
          {{"file", "note.md"}, {"url", "https://github.com/o/r/blob/main/note.md"}, {"title", "Tom & Jerry <3 *x*"}});
      CHECK(text_of(frame) == "✅ Saved to <b>note.md</b>\n<i>Tom &amp; Jerry &lt;3 *x*</i>");
      CHECK(frame.final);
      CHECK(frame.ends_job);
      CHECK_FALSE(frame.revivable);
      auto button = frame.params["reply_markup"]["inline_keyboard"][0][0];
      CHECK(button["text"] == "🔗 View");
      CHECK(button["url"] == "https://github.com/o/r/blob/main/note.md");
      CHECK(frame.link == "https://github.com/o/r/blob/main/note.md");
    }
    SUBCASE("no web url, no button") {
      CHECK_FALSE(render_result({{"file", "todo.md"}}).params.contains("reply_markup"));
      CHECK_FALSE(render_result({{"file", "todo.md"}, {"url", "file:///srv/x"}}).params.contains("reply_markup"));
    }
    SUBCASE("a duplicate says it was already there") {
      CHECK(text_of(render_result({{"file", "a.md"}, {"duplicate", true}})) == "✅ Already saved in <b>a.md</b>");
    }
    SUBCASE("an issue links to itself") {
      Frame frame = render_result({{"issue", {{"number", 12}, {"url", "https://github.com/o/r/issues/12"}}}});
      CHECK(text_of(frame) == "✅ Opened issue #12");
      CHECK(frame.params["reply_markup"]["inline_keyboard"][0][0]["url"] == "https://github.com/o/r/issues/12");
    }
    SUBCASE("a long CJK title stays valid and within Telegram's limit") {
      Frame frame = render_result({{"file", "note.md"}, {"title", repeat("标题", 3000)}});
      std::string text = text_of(frame);
      CHECK(jsonl::valid_utf8_prefix(text) == text.size());
      CHECK(utf16_length(html_to_plain(text)) <= k_max_message_units);
    }
  }

  TEST_CASE("m2g::progress::render_error") {
    Frame frame = render_error({{"reason", "push refused: <remote> rejected"}});
    CHECK(text_of(frame) == "❌ push refused: &lt;remote&gt; rejected");
    CHECK(frame.final);
    CHECK_FALSE(frame.revivable);
    Frame retry = render_error({{"reason", "GitHub is down"}, {"retryable", true}});
    CHECK(text_of(retry).starts_with("❌ GitHub is down\n"));
    CHECK(retry.revivable);
    CHECK(text_of(render_error(json::object())) == "❌ Failed");
  }

  TEST_CASE("m2g::progress::render_rejection") {
    CHECK(text_of(render_rejection({{"retry_after_ms", 1500}})) == "⏳ Slow down: try again in 2 s");
    CHECK(text_of(render_rejection({{"retry_after_ms", 0}})) == "⏳ Slow down: try again in 1 s");
    CHECK(text_of(render_rejection(json::object())) == "⏳ Slow down: try again in a moment");
    CHECK(render_rejection(json::object()).final);
  }

  TEST_CASE("m2g::progress::degrade") {
    Frame frame = render_result({{"file", "note.md"}, {"url", "https://example.org/n?a=1&b=2"}});
    REQUIRE(degrade(frame));
    CHECK_FALSE(frame.params.contains("reply_markup"));
    CHECK(text_of(frame).find("<a href=\"https://example.org/n?a=1&amp;b=2\">") != std::string::npos);
    REQUIRE(degrade(frame));
    CHECK_FALSE(frame.params.contains("parse_mode"));
    CHECK(text_of(frame) == "✅ Saved to note.md\n🔗 https://example.org/n?a=1&b=2");
    CHECK_FALSE(degrade(frame));
  }

  TEST_CASE("m2g::progress::fit_params") {
    SUBCASE("plain text over 4096 units is cut") {
      json params = {{"chat_id", 1}, {"text", std::string(5000, 'a')}};
      fit_params("sendMessage", params);
      CHECK(utf16_length(params["text"].get<std::string>()) == 4096);
      CHECK(params["chat_id"] == 1);
    }
    SUBCASE("HTML is measured without its tags") {
      std::string text = "<b>" + std::string(4000, 'a') + "</b> &amp;";
      json params = {{"text", text}, {"parse_mode", "HTML"}};
      fit_params("editMessageText", params);
      CHECK(params["text"] == text);
      CHECK(params["parse_mode"] == "HTML");
    }
    SUBCASE("HTML that is too long goes out as shortened plain text") {
      json params = {{"text", "<i>" + repeat("&lt;", 5000) + "</i>"}, {"parse_mode", "HTML"}};
      fit_params("sendMessage", params);
      CHECK_FALSE(params.contains("parse_mode"));
      CHECK(params["text"].get<std::string>().starts_with("<<<"));
      CHECK(utf16_length(params["text"].get<std::string>()) == 4096);
    }
    SUBCASE("a callback answer is at most 200 units") {
      json params = {{"callback_query_id", "1"}, {"text", repeat("ж", 300)}};
      fit_params("answerCallbackQuery", params);
      CHECK(utf16_length(params["text"].get<std::string>()) == 200);
    }
    SUBCASE("other methods and odd params are left alone") {
      json params = {{"text", 5}};
      fit_params("sendMessage", params);
      CHECK(params["text"] == 5);
      json array = json::array();
      fit_params("sendMessage", array);
      CHECK(array.empty());
    }
  }
}
