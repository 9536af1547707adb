// A waiting frame is packed small and comes back as it was: the request Telegram gets must not
// depend on whether the state waited.
#include "common/progress/slots.hpp"

#include <doctest/doctest.h>

using namespace m2g::progress;

TEST_SUITE("progress") {
  TEST_CASE("m2g::progress::pack") {
    SUBCASE("an end state with a View button: the repeated parts become flags") {
      json line = {
          {"file", "inbox.md"}, {"title", "Buy <oat> milk"}, {"url", "https://github.com/o/r/blob/main/inbox.md"}};
      Frame frame = render_result(line);
      json params = frame.params;
      PackedFrame packed = pack(render_result(line));
      CHECK(packed.html);
      CHECK(packed.view_button);
      CHECK(packed.params.size() < params.dump().size() / 2);
      CHECK(packed.params.find("is_disabled") == std::string::npos);
      Frame back = unpack(packed);
      CHECK(back.params == params);
      CHECK(back.link == frame.link);
      CHECK(back.final);
      CHECK(back.ends_job);
    }
    SUBCASE("params of another shape are kept whole") {
      Frame frame;
      frame.params = {{"text", "x"}, {"parse_mode", "MarkdownV2"}, {"link_preview_options", {{"is_disabled", true}}}};
      frame.link = "https://example.com/a";
      frame.params["reply_markup"] = view_button("https://example.com/other");
      json params = frame.params;
      PackedFrame packed = pack(std::move(frame));
      CHECK_FALSE(packed.html);
      CHECK_FALSE(packed.view_button);
      CHECK(unpack(packed).params == params);
    }
    SUBCASE("a degraded frame (keyboard dropped) packs without a button") {
      Frame frame = render_result({{"file", "a.md"}, {"url", "https://github.com/o/r/blob/main/a.md"}});
      REQUIRE(degrade(frame));
      json params = frame.params;
      PackedFrame packed = pack(std::move(frame));
      CHECK_FALSE(packed.view_button);
      CHECK(unpack(packed).params == params);
    }
  }
}
