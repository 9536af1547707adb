#include "common/fake/telegram/bot.hpp"

#include <doctest/doctest.h>

using namespace m2g;
using namespace m2g::fake::telegram;

namespace {

json body(const Reply& reply) {
  return json::parse(reply.body);
}

Reply call(Bot& bot, const char* method, const json& params) {
  return bot.call(method, std::get<Params>(Params::parse("", params.dump())));
}

PollDecision get_updates(Bot& bot, const json& params) {
  return bot.get_updates(std::get<Params>(Params::parse("", params.dump())));
}

BotConfig unlimited() {
  BotConfig config;
  config.limits.global_rate = 0;
  config.limits.chat_rate = 0;
  config.limits.group_per_minute = 0;
  return config;
}

const json k_keyboard = {
    {"inline_keyboard",
     {{{{"text", "Note"}, {"callback_data", "file_NOTE"}}}, {{{"text", "Todo"}, {"callback_data", "file_TODO"}}}}}};

} // namespace

TEST_SUITE("fake") {
  TEST_CASE("m2g::fake::telegram::Bot::get_updates") {
    ManualClock clock;
    Bot bot(unlimited(), clock);
    Bot::Person ann;
    ann.chat_id = 42;

    SUBCASE("answers at once when updates are pending, holds the poll otherwise") {
      auto empty = get_updates(bot, {{"timeout", 30}});
      CHECK_FALSE(empty.reply);
      CHECK(empty.timeout_s == 30);
      bot.inject_text(ann, "hello");
      auto now = get_updates(bot, {{"timeout", 30}, {"limit", 500}});
      REQUIRE(now.reply);
      CHECK(now.limit == 100);
      json result = body(*now.reply)["result"];
      REQUIRE(result.size() == 1);
      CHECK(result[0]["update_id"] == 1);
      CHECK(result[0]["message"]["text"] == "hello");
      CHECK(result[0]["message"]["chat"]["type"] == "private");
      CHECK(result[0]["message"]["from"]["id"] == 42);
      // Not confirmed yet: it comes again; offset 2 confirms it.
      CHECK(body(*get_updates(bot, {{"timeout", 0}}).reply)["result"].size() == 1);
      CHECK(body(*get_updates(bot, {{"offset", 2}, {"timeout", 0}}).reply)["result"].empty());
      CHECK(bot.updates().pending() == 0);
    }
    SUBCASE("a command gets a bot_command entity") {
      bot.inject_text(ann, "/todo@m2g_fake_bot buy milk");
      json message = body(*get_updates(bot, {}).reply)["result"][0]["message"];
      CHECK(message["entities"][0] == json({{"offset", 0}, {"length", 18}, {"type", "bot_command"}}));
    }
    SUBCASE("409 while a webhook is set") {
      call(bot, "setWebhook", {{"url", "https://example.org/hook"}});
      auto decision = get_updates(bot, {});
      REQUIRE(decision.reply);
      CHECK(decision.reply->status == 409);
      CHECK(body(*decision.reply)["description"].get<std::string>().find("webhook is active") != std::string::npos);
      call(bot, "deleteWebhook", json::object());
      CHECK(get_updates(bot, {}).reply->status == 200);
    }
  }

  TEST_CASE("m2g::fake::telegram::Bot::call") {
    ManualClock clock;
    Bot bot(unlimited(), clock);
    Bot::Person ann;
    ann.chat_id = 42;
    auto first = bot.inject_text(ann, "remember the milk");
    int64_t person_message = first["message_id"];

    SUBCASE("getMe and unknown methods") {
      CHECK(body(call(bot, "getMe", json::object()))["result"]["is_bot"] == true);
      auto missing = call(bot, "sendTelepathy", json::object());
      CHECK(missing.status == 404);
      CHECK(body(missing) == json({{"ok", false}, {"error_code", 404}, {"description", "Not Found"}}));
    }
    SUBCASE("sendMessage returns a Message with a new id; the chat state shows it") {
      auto sent = call(bot, "sendMessage",
                       {{"chat_id", 42},
                        {"text", "Please choose:"},
                        {"reply_markup", k_keyboard},
                        {"reply_parameters", {{"message_id", person_message}}}});
      REQUIRE(sent.status == 200);
      json message = body(sent)["result"];
      CHECK(message["message_id"] == person_message + 1);
      CHECK(message["from"]["is_bot"] == true);
      CHECK(message["reply_to_message"]["text"] == "remember the milk");
      json state = bot.chat_state(42);
      REQUIRE(state["messages"].size() == 1);
      CHECK(state["messages"][0]["text"] == "Please choose:");
      CHECK(state["messages"][0]["reply_markup"] == k_keyboard);
      CHECK(state["messages"][0]["reply_to_message_id"] == person_message);
    }
    SUBCASE("sendMessage refuses what Telegram refuses") {
      CHECK(call(bot, "sendMessage", {{"chat_id", 42}, {"text", ""}}).status == 400);
      CHECK(call(bot, "sendMessage", {{"chat_id", 42}, {"text", std::string(4097, 'x')}}).status == 400);
      CHECK(call(bot, "sendMessage", {{"chat_id", 999}, {"text", "hi"}}).status == 400); // no such chat
      auto bad_button =
          call(bot, "sendMessage",
               {{"chat_id", 42},
                {"text", "x"},
                {"reply_markup", {{"inline_keyboard", {{{{"text", "a"}, {"callback_data", std::string(65, 'd')}}}}}}}});
      CHECK(bad_button.status == 400);
      CHECK(body(bad_button)["description"] == "Bad Request: BUTTON_DATA_INVALID");
      auto no_reply = call(bot, "sendMessage", {{"chat_id", 42}, {"text", "x"}, {"reply_to_message_id", 77}});
      CHECK(body(no_reply)["description"] == "Bad Request: message to be replied not found");
      bot.set_blocked(42, true);
      CHECK(call(bot, "sendMessage", {{"chat_id", 42}, {"text", "x"}}).status == 403);
    }
    SUBCASE("edits: history kept, identical edit is 'not modified', missing message is 400") {
      int64_t id = body(call(bot, "sendMessage",
                             {{"chat_id", 42}, {"text", "0%"}, {"reply_markup", k_keyboard}}))["result"]["message_id"];
      auto edited = call(bot, "editMessageText", {{"chat_id", 42}, {"message_id", id}, {"text", "50%"}});
      REQUIRE(edited.status == 200);
      CHECK(body(edited)["result"]["text"] == "50%");
      CHECK_FALSE(body(edited)["result"].contains("reply_markup")); // no markup given: keyboard removed
      auto same = call(bot, "editMessageText", {{"chat_id", 42}, {"message_id", id}, {"text", "50%"}});
      CHECK(same.status == 400);
      CHECK(body(same)["description"].get<std::string>().rfind("Bad Request: message is not modified", 0) == 0);
      CHECK(call(bot, "editMessageText", {{"chat_id", 42}, {"message_id", 9999}, {"text", "x"}}).status == 400);
      CHECK(call(bot, "editMessageText", {{"chat_id", 42}, {"message_id", person_message}, {"text", "x"}}).status ==
            400); // not the bot's
      json state = bot.chat_state(42)["messages"][0];
      CHECK(state["text"] == "50%");
      REQUIRE(state["edits"].size() == 1);
      CHECK(state["edits"][0]["text"] == "50%");
      CHECK(call(bot, "deleteMessage", {{"chat_id", 42}, {"message_id", id}}).status == 200);
      CHECK(call(bot, "deleteMessage", {{"chat_id", 42}, {"message_id", id}}).status == 400);
      CHECK(bot.chat_state(42)["messages"][0]["deleted"] == true);
    }
    SUBCASE("a click: callback_query with the keyboard message and the person's message; answered once") {
      int64_t id = body(call(bot, "sendMessage",
                             {{"chat_id", 42},
                              {"text", "Please choose:"},
                              {"reply_markup", k_keyboard},
                              {"reply_parameters", {{"message_id", person_message}}}}))["result"]["message_id"];
      CHECK(std::holds_alternative<ApiFailure>(bot.inject_click(ann, id, "no_such_button")));
      CHECK(std::holds_alternative<ApiFailure>(bot.inject_click(ann, person_message, "")));
      auto click = std::get<json>(bot.inject_click(ann, id, "file_TODO"));
      json updates = body(*get_updates(bot, {{"offset", 2}}).reply)["result"];
      REQUIRE(updates.size() == 1);
      json query = updates[0]["callback_query"];
      CHECK(query["data"] == "file_TODO");
      CHECK(query["message"]["message_id"] == id);
      CHECK(query["message"]["reply_to_message"]["text"] == "remember the milk");
      std::string query_id = click["callback_query_id"];
      CHECK(call(bot, "answerCallbackQuery", {{"callback_query_id", query_id}, {"text", "saved"}}).status == 200);
      CHECK(call(bot, "answerCallbackQuery", {{"callback_query_id", query_id}}).status == 400);
      CHECK(bot.chat_state(42)["callbacks"][0]["answered"] == true);
    }
    SUBCASE("a photo: sizes, getFile and the download path") {
      auto photo = bot.inject_photo(ann, "JPEGBYTES", 1280, 960, "sunset");
      json message = body(*get_updates(bot, {{"offset", 2}}).reply)["result"][0]["message"];
      REQUIRE(message["photo"].size() == 3);
      CHECK(message["photo"][2]["file_id"] == photo["file_id"]);
      CHECK(message["photo"][2]["width"] == 1280);
      CHECK(message["photo"][0]["width"] == 90);
      CHECK(message["caption"] == "sunset");
      json file = body(call(bot, "getFile", {{"file_id", photo["file_id"]}}))["result"];
      CHECK(file["file_size"] == 9);
      const StoredFile* stored = bot.file_by_path(file["file_path"]);
      REQUIRE(stored);
      CHECK(stored->bytes == "JPEGBYTES");
      CHECK(call(bot, "getFile", {{"file_id", "nope"}}).status == 400);
    }
  }

  TEST_CASE("m2g::fake::telegram::Bot sending limits") {
    ManualClock clock;
    BotConfig config;
    config.limits.chat_rate = 1;
    config.limits.chat_burst = 1;
    Bot bot(config, clock);
    Bot::Person ann;
    bot.inject_text(ann, "hi");
    CHECK(call(bot, "sendMessage", {{"chat_id", 42}, {"text", "a"}}).status == 200);
    auto limited = call(bot, "sendMessage", {{"chat_id", 42}, {"text", "b"}});
    CHECK(limited.status == 429);
    CHECK(body(limited)["parameters"]["retry_after"] == 1);
    CHECK(body(limited)["description"] == "Too Many Requests: retry after 1");
    clock.advance(std::chrono::seconds(1));
    CHECK(call(bot, "sendMessage", {{"chat_id", 42}, {"text", "b"}}).status == 200);
  }

  TEST_CASE("m2g::fake::telegram::Bot::inject_bulk") {
    ManualClock clock;
    Bot bot(unlimited(), clock);
    auto head = bot.inject_bulk(0, 100, "bench", 1, 10);
    CHECK(head["count"] == 100);
    CHECK(head["first_update_id"] == 1);
    CHECK(head["last_update_id"] == 100);
    auto rest = bot.inject_bulk(100, 250, "bench", 1, 10); // the same burst, in two parts
    CHECK(rest["count"] == 150);
    CHECK(rest["first_update_id"] == 101);
    CHECK(rest["last_update_id"] == 250);
    json updates = body(*get_updates(bot, {{"offset", 101}}).reply)["result"];
    REQUIRE(updates.size() == 100);
    CHECK(updates[0]["update_id"] == 101);
    CHECK(updates[0]["message"]["text"] == "bench 101");
    CHECK(updates[0]["message"]["chat"]["id"] == 1);
    CHECK(updates[0]["message"]["chat"]["type"] == "private");
    CHECK(updates[0]["message"]["message_id"] == 11); // chat 1's eleventh message of the burst
    CHECK(updates[0]["message"]["from"]["username"] == "user1");
    CHECK(updates[99]["message"]["text"] == "bench 200");
    CHECK(updates[99]["message"]["chat"]["id"] == 10);
    // Bulk messages are valid reply targets.
    CHECK(call(bot, "sendMessage", {{"chat_id", 1}, {"text", "ok"}, {"reply_to_message_id", 3}}).status == 200);
  }
}
