#include "common/fake/telegram/limits.hpp"
#include "common/fake/telegram/params.hpp"
#include "common/fake/telegram/updates.hpp"

#include <doctest/doctest.h>

using namespace m2g;
using namespace m2g::fake::telegram;

namespace {

std::vector<int64_t> ids(const std::vector<const StoredUpdate*>& updates) {
  std::vector<int64_t> out;
  for (const auto* u : updates) {
    out.push_back(u->id);
  }
  return out;
}

UpdateStore five() {
  UpdateStore store(100);
  for (int i = 0; i < 5; ++i) {
    store.add("message", R"({"message_id":1})");
  }
  return store;
}

} // namespace

TEST_SUITE("fake") {
  TEST_CASE("m2g::fake::telegram::UpdateStore") {
    SUBCASE("unconfirmed updates come back again; a higher offset confirms and forgets") {
      UpdateStore store = five();
      CHECK(ids(store.peek(2, {})) == std::vector<int64_t>{100, 101});
      CHECK(ids(store.peek(2, {})) == std::vector<int64_t>{100, 101}); // no offset: not confirmed
      store.confirm(102);
      CHECK(store.pending() == 3);
      CHECK(ids(store.peek(100, {})) == std::vector<int64_t>{102, 103, 104});
      store.confirm(50); // lower than what is left: nothing changes
      CHECK(store.pending() == 3);
      store.confirm(105);
      CHECK(store.pending() == 0);
      CHECK(store.add("message", "{}") == 105); // ids keep counting
    }
    SUBCASE("a negative offset keeps only the last -offset updates") {
      UpdateStore store = five();
      store.confirm(-2);
      CHECK(ids(store.peek(100, {})) == std::vector<int64_t>{103, 104});
    }
    SUBCASE("allowed_updates filters, dropping unwanted ones in front") {
      UpdateStore store(1);
      store.add("edited_message", "{}");
      store.add("message", "{}");
      store.add("callback_query", "{}");
      store.add("message", "{}");
      CHECK(ids(store.peek(100, {"message"})) == std::vector<int64_t>{2, 4});
      CHECK(store.pending() == 3); // the leading edited_message is gone for good
    }
    SUBCASE("the answer is the real envelope with the updates verbatim") {
      UpdateStore store(7);
      store.add("message", R"({"text":"a\"b"})");
      auto body = UpdateStore::response_body(store.peek(10, {}));
      CHECK(body == R"({"ok":true,"result":[{"update_id":7,"message":{"text":"a\"b"}}]})");
      CHECK(UpdateStore::response_body({}) == R"({"ok":true,"result":[]})");
    }
  }

  TEST_CASE("m2g::fake::telegram::SendLimiter") {
    ManualClock clock;
    SendLimits limits;
    limits.global_rate = 30;
    limits.global_burst = 30;
    limits.chat_rate = 1;
    limits.chat_burst = 3;
    limits.group_per_minute = 20;
    limits.group_burst = 3;
    SendLimiter limiter(limits);

    SUBCASE("a private chat: a burst of 3, then one per second, with retry_after in whole seconds") {
      for (int i = 0; i < 3; ++i) {
        CHECK_FALSE(limiter.admit(5, clock.now()));
      }
      auto wait = limiter.admit(5, clock.now());
      REQUIRE(wait);
      CHECK(*wait == 1);
      clock.advance(std::chrono::milliseconds(999));
      CHECK(limiter.admit(5, clock.now()));
      clock.advance(std::chrono::milliseconds(1));
      CHECK_FALSE(limiter.admit(5, clock.now()));
      CHECK_FALSE(limiter.admit(6, clock.now())); // another chat has its own bucket
    }
    SUBCASE("a group: 20 per minute") {
      for (int i = 0; i < 3; ++i) {
        CHECK_FALSE(limiter.admit(-5, clock.now()));
      }
      auto wait = limiter.admit(-5, clock.now());
      REQUIRE(wait);
      CHECK(*wait == 3);
    }
    SUBCASE("30 per second over all chats; a refusal costs no token") {
      for (int chat = 1; chat <= 30; ++chat) {
        CHECK_FALSE(limiter.admit(chat, clock.now()));
      }
      CHECK(limiter.admit(31, clock.now()));
      clock.advance(std::chrono::milliseconds(34));
      CHECK_FALSE(limiter.admit(31, clock.now()));
    }
    SUBCASE("0 disables a limit") {
      limits.chat_rate = 0;
      limits.global_rate = 0;
      limiter.set_limits(limits);
      for (int i = 0; i < 1000; ++i) {
        CHECK_FALSE(limiter.admit(5, clock.now()));
      }
    }
  }

  TEST_CASE("m2g::fake::telegram::Params") {
    SUBCASE("query, form and JSON bodies; numbers as strings") {
      auto parsed = Params::parse("chat_id=42&text=a%20b+c", "");
      auto& p = std::get<Params>(parsed);
      CHECK(p.get_int("chat_id") == 42);
      CHECK(p.get_string("text") == "a b c");
      auto json_body = Params::parse("", R"({"chat_id":-100,"reply_markup":{"inline_keyboard":[]}})");
      auto& j = std::get<Params>(json_body);
      CHECK(j.get_int("chat_id") == -100);
      CHECK(j.get_json("reply_markup")->contains("inline_keyboard"));
      auto form = Params::parse("", "reply_markup=%7B%22inline_keyboard%22%3A%5B%5D%7D");
      CHECK(std::get<Params>(form).get_json("reply_markup")->contains("inline_keyboard"));
      CHECK(std::holds_alternative<ApiFailure>(Params::parse("", "{not json")));
    }
    SUBCASE("text limits count UTF-16 code units") {
      CHECK(utf16_length("abc") == 3);
      CHECK(utf16_length("\xc3\xa9") == 1);         // é
      CHECK(utf16_length("\xe2\x82\xac") == 1);     // €
      CHECK(utf16_length("\xf0\x9f\x98\x80") == 2); // 😀, outside the BMP
      CHECK_FALSE(check_text(std::string(4096, 'a')));
      CHECK(check_text(std::string(4097, 'a'))->description == "Bad Request: message is too long");
      std::string emoji;
      for (int i = 0; i < 2048; ++i) {
        emoji += "\xf0\x9f\x98\x80";
      }
      CHECK_FALSE(check_text(emoji));
      CHECK(check_text(emoji + "a"));
      CHECK(check_text(std::string(""))->description == "Bad Request: message text is empty");
      CHECK(check_text(std::nullopt));
    }
    SUBCASE("callback_data is 1-64 bytes") {
      json markup;
      auto ok =
          std::get<Params>(Params::parse("", R"({"reply_markup":{"inline_keyboard":[[{"text":"a","callback_data":")" +
                                                 std::string(64, 'x') + R"("}]]}})"));
      CHECK_FALSE(check_markup(ok, markup));
      CHECK(markup.contains("inline_keyboard"));
      auto too_long =
          std::get<Params>(Params::parse("", R"({"reply_markup":{"inline_keyboard":[[{"text":"a","callback_data":")" +
                                                 std::string(65, 'x') + R"("}]]}})"));
      CHECK(check_markup(too_long, markup)->description == "Bad Request: BUTTON_DATA_INVALID");
      auto plain = std::get<Params>(Params::parse("", R"({"reply_markup":{"inline_keyboard":[[{"text":"a"}]]}})"));
      CHECK(check_markup(plain, markup));
      auto garbage = std::get<Params>(Params::parse("reply_markup=%7Bnope", ""));
      CHECK(check_markup(garbage, markup));
    }
  }
}
