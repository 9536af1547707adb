#include "tests/unit/route_harness.hpp"

#include "common/route/callback_data.hpp"

#include <doctest/doctest.h>

using namespace m2g;
using namespace m2g::route;
using namespace m2g::test;
using nlohmann::json;

TEST_SUITE("route") {
  TEST_CASE("m2g::route::Router::handle") {
    Harness h;
    SUBCASE("a message gets the keyboard, a click exactly one job, a second click none") {
      auto first = h.feed(message(h, 10, "hello <world> & *you* _x_"));
      REQUIRE(first.size() == 1);
      auto& send = first[0];
      CHECK(send["kind"] == "action");
      CHECK(send["method"] == "sendMessage");
      CHECK(send["final"] == true);
      CHECK(send["t0"] == 123);
      CHECK(send["params"]["parse_mode"] == "HTML");
      CHECK(send["params"]["reply_parameters"]["message_id"] == 10);
      CHECK(send["params"]["text"].get<std::string>().find("hello &lt;world&gt; &amp; *you* _x_") != std::string::npos);
      CHECK(send["params"]["reply_markup"]["inline_keyboard"][0][0]["callback_data"] == "f:note:10");

      auto second = h.feed(click(h, "f:idea:10", 500));
      auto jobs = of_kind(second, "job");
      REQUIRE(jobs.size() == 1);
      auto& job = jobs[0];
      CHECK(job["id"] == "42:10");
      CHECK(job["op"] == "add");
      CHECK(job["target"] == "idea");
      CHECK(job["file"] == "idea.md");
      CHECK(job["text"] == "hello <world> & *you* _x_");
      CHECK(job["llm"] == true);
      CHECK(job["date"] == k_date);
      CHECK(job["tz"] == "UTC");
      CHECK(job["chat_id"] == k_chat);
      CHECK(job["user_id"] == 7);
      CHECK(job["message_id"] == 10);
      CHECK(job["status_message_id"] == 500);
      CHECK_FALSE(job.contains("repo"));
      auto answers = calls(second, "answerCallbackQuery");
      REQUIRE(answers.size() == 1);
      CHECK(answers[0]["params"]["text"] == "Saving to idea.md…");
      auto progress = of_kind(second, "progress");
      REQUIRE(progress.size() == 1);
      CHECK(progress[0]["step"] == "queued");
      CHECK(progress[0]["id"] == "42:10");
      CHECK(progress[0]["status_message_id"] == 500);

      auto third = h.feed(click(h, "f:note:10", 500));
      CHECK(of_kind(third, "job").empty());
      REQUIRE(calls(third, "answerCallbackQuery").size() == 1);
      CHECK(calls(third, "answerCallbackQuery")[0]["params"]["text"] == "Already filed to idea.md.");
    }
    SUBCASE("a redelivered click files the same job again; a new click does not") {
      h.feed(message(h, 10, "x"));
      auto once = of_kind(h.feed(click(h, "f:note:10", 500, "cb-same")), "job");
      auto again = of_kind(h.feed(click(h, "f:note:10", 500, "cb-same")), "job");
      REQUIRE(once.size() == 1);
      REQUIRE(again.size() == 1);
      CHECK(again[0]["id"] == once[0]["id"]);
      CHECK(again[0]["text"] == once[0]["text"]);
    }
    SUBCASE("hashtag shortcuts file at once, tag stripped") {
      auto update = message(h, 11, "#TODO  buy milk");
      auto lines = h.feed(update);
      auto jobs = of_kind(lines, "job");
      REQUIRE(jobs.size() == 1);
      CHECK(jobs[0]["target"] == "todo");
      CHECK(jobs[0]["text"] == "buy milk");
      CHECK(jobs[0]["llm"] == false); // a TODO line needs no title
      CHECK_FALSE(jobs[0].contains("status_message_id"));
      CHECK(calls(lines, "sendMessage").empty());
      CHECK(of_kind(lines, "progress").size() == 1);
      // The same update delivered again files the same job again (m2g-commit knows its id).
      auto again = of_kind(h.feed(update), "job");
      REQUIRE(again.size() == 1);
      CHECK(again[0]["id"] == jobs[0]["id"]);
    }
    SUBCASE("an empty shortcut is answered, not filed") {
      auto lines = h.feed(message(h, 11, "#idea   "));
      CHECK(of_kind(lines, "job").empty());
      CHECK(sent_text(lines).find("Nothing to file") != std::string::npos);
    }
    SUBCASE("the default target skips the question, until /default off") {
      CHECK(sent_text(h.feed(message(h, 1, "/default INBOX"))).find("inbox.md") != std::string::npos);
      auto jobs = of_kind(h.feed(message(h, 2, "plain")), "job");
      REQUIRE(jobs.size() == 1);
      CHECK(jobs[0]["target"] == "inbox");
      CHECK(of_kind(h.feed(message(h, 3, "#idea wins")), "job")[0]["target"] == "idea");
      h.feed(message(h, 4, "/default off"));
      CHECK(of_kind(h.feed(message(h, 5, "ask me")), "job").empty());
      CHECK(sent_text(h.feed(message(h, 6, "/default nowhere"))).find("not a target") != std::string::npos);
    }
    SUBCASE("an edit before the click files the latest text; after it, is answered") {
      h.feed(message(h, 10, "first"));
      auto edit = message(h, 10, "second");
      edit["type"] = "edited_message";
      CHECK(h.feed(edit).empty());
      auto jobs = of_kind(h.feed(click(h, "f:note:10")), "job");
      REQUIRE(jobs.size() == 1);
      CHECK(jobs[0]["text"] == "second");
      auto late = message(h, 10, "third");
      late["type"] = "edited_message";
      CHECK(sent_text(h.feed(late)).find("already filed to note.md") != std::string::npos);
    }
    SUBCASE("cancel") {
      h.feed(message(h, 10, "x"));
      auto lines = h.feed(click(h, "x:10", 500));
      CHECK(of_kind(lines, "job").empty());
      auto edits = calls(lines, "editMessageText");
      REQUIRE(edits.size() == 1);
      CHECK(edits[0]["params"]["message_id"] == 500);
      CHECK_FALSE(edits[0]["params"].contains("reply_markup")); // the keyboard goes away
      CHECK(of_kind(h.feed(click(h, "f:note:10")), "job").empty());
    }
    SUBCASE("a choice expires") {
      h.config.pending_expiry_ms = 60'000;
      h.reopen();
      h.feed(message(h, 10, "x"));
      h.clock.advance(std::chrono::seconds(61));
      auto lines = h.feed(click(h, "f:note:10", 500));
      CHECK(of_kind(lines, "job").empty());
      auto answers = calls(lines, "answerCallbackQuery");
      REQUIRE(answers.size() == 1);
      CHECK(answers[0]["params"]["text"].get<std::string>().find("expired") != std::string::npos);
      CHECK(calls(lines, "editMessageText").size() == 1);
    }
    SUBCASE("unknown or crafted buttons") {
      auto lines = h.feed(click(h, "coffee_simulate_1_100"));
      CHECK(of_kind(lines, "job").empty());
      CHECK(calls(lines, "answerCallbackQuery").size() == 1);
      lines = h.feed(click(h, "f:note:999")); // never pending
      CHECK(of_kind(lines, "job").empty());
      CHECK(calls(lines, "answerCallbackQuery")[0]["params"]["text"].get<std::string>().find("expired") !=
            std::string::npos);
    }
    SUBCASE("another chat cannot file this chat's pending message") {
      h.config.allowed_chats.insert(43);
      h.reopen();
      h.feed(message(h, 10, "mine"));
      CHECK(of_kind(h.feed(click(h, "f:note:10", 500, "", 43)), "job").empty());
    }
    SUBCASE("TODO done and issue close buttons: signed for this chat, acting on this chat's things") {
      route::ButtonSigner signer(Harness::instance_key());
      auto done = h.feed(click(h, route::encode_done(77, k_chat, signer).take_or_throw(), 600));
      auto jobs = of_kind(done, "job");
      REQUIRE(jobs.size() == 1);
      CHECK(jobs[0]["id"] == "42:77:done");
      CHECK(jobs[0]["op"] == "done");
      CHECK(jobs[0]["todo"] == json{{"message_id", 77}, {"chat_id", k_chat}});
      CHECK(calls(done, "answerCallbackQuery").size() == 1);
      auto close = h.feed(click(h, route::encode_close(12, k_chat, signer).take_or_throw(), 600));
      jobs = of_kind(close, "job");
      REQUIRE(jobs.size() == 1);
      CHECK(jobs[0]["op"] == "close");
      CHECK(jobs[0]["issue"]["number"] == 12);
      CHECK(jobs[0]["id"].get<std::string>().rfind("42:close:", 0) == 0);
    }
    SUBCASE("forged, replayed and unsigned done and close buttons change nothing") {
      route::ButtonSigner signer(Harness::instance_key());
      route::ButtonSigner stranger(crypto::Key::from_bytes(std::string(32, 's')).take_or_throw());
      std::string other_chats = route::encode_done(77, -100200, signer).take_or_throw();
      std::string close_mac = signer.sign("close", 12, k_chat).take_or_throw();
      for (const std::string& data :
           {std::string("done:77:-100200"), std::string("done:77"), std::string("close:12"), other_chats,
            route::encode_close(12, k_chat, stranger).take_or_throw(), "close:13:" + close_mac}) {
        CAPTURE(data);
        auto lines = h.feed(click(h, data, 600));
        CHECK(of_kind(lines, "job").empty());
        auto answers = calls(lines, "answerCallbackQuery");
        REQUIRE(answers.size() == 1);
        CHECK(answers[0]["params"]["text"] == "This button is no longer valid.");
      }
    }
    SUBCASE("photos: filed with their file ids; over the limit refused; never a TODO") {
      auto photo = message(h, 20, "a caption");
      photo["photo"] = {
          {"file_id", "FID"}, {"file_unique_id", "UQ"}, {"width", 800}, {"height", 600}, {"file_size", 300000}};
      auto lines = h.feed(photo);
      CHECK(calls(lines, "sendMessage")[0]["params"]["reply_markup"].dump().find("f:todo:") == std::string::npos);
      CHECK(of_kind(h.feed(click(h, "f:todo:20")), "job").empty());
      auto jobs = of_kind(h.feed(click(h, "f:note:20")), "job");
      REQUIRE(jobs.size() == 1);
      CHECK(jobs[0]["photo"]["file_id"] == "FID");
      CHECK(jobs[0]["photo"]["file_unique_id"] == "UQ");
      CHECK(jobs[0]["photo"]["file_size"] == 300000);
      CHECK(jobs[0]["photo"]["caption"] == "a caption");
      CHECK(jobs[0]["text"] == "a caption");

      auto big = message(h, 21, "");
      big["photo"] = {{"file_id", "BIG"}, {"file_unique_id", "U2"}, {"file_size", 25 << 20}};
      lines = h.feed(big);
      CHECK(of_kind(lines, "job").empty());
      CHECK(sent_text(lines).find("20.0 MB") != std::string::npos);
      h.feed(message(h, 22, "/photolimit 1"));
      big["message_id"] = 23;
      big["photo"]["file_size"] = 2 << 20;
      CHECK(sent_text(h.feed(big)).find("up to 1.0 MB") != std::string::npos);
    }
    SUBCASE("documents, voice, video and stickers are answered, never dropped") {
      for (const char* kind : {"document", "voice", "video", "sticker", "audio"}) {
        auto m = message(h, 30, "");
        m[kind] = {{"file_id", "X"}, {"file_unique_id", "Y"}};
        auto lines = h.feed(m);
        CHECK(of_kind(lines, "job").empty());
        CHECK(sent_text(lines).find("not supported yet") != std::string::npos);
      }
    }
    SUBCASE("long, emoji and right-to-left texts reach the job intact") {
      std::string long_text;
      while (long_text.size() < 4096) {
        long_text += "abcdefgh";
      }
      long_text.resize(4096);
      std::string mixed = "שלום עולם 👋🏽 مرحبا بالعالم 日本語 👨‍👩‍👧 \u200f!";
      for (const auto& text : {long_text, mixed}) {
        auto lines = h.feed(message(h, h.next_update + 100, text));
        int64_t id = lines[0]["message_id"];
        auto jobs = of_kind(h.feed(click(h, "f:note:" + std::to_string(id))), "job");
        REQUIRE(jobs.size() == 1);
        CHECK(jobs[0]["text"] == text);
      }
    }
    SUBCASE("formatting entities become Markdown in the job") {
      auto m = message(h, 40, "#note 😀 bold");
      m["entities"] = json::array(
          {{{"type", "hashtag"}, {"offset", 0}, {"length", 5}}, {{"type", "bold"}, {"offset", 9}, {"length", 4}}});
      CHECK(of_kind(h.feed(m), "job")[0]["text"] == "😀 **bold**");
    }
    SUBCASE("an edit of a message route never saw is handled as a new one") {
      auto edit = message(h, 60, "edited text");
      edit["type"] = "edited_message";
      CHECK(calls(h.feed(edit), "sendMessage")[0]["params"].contains("reply_markup"));
      auto doc = message(h, 61, "");
      doc["type"] = "edited_message";
      doc["document"] = {{"file_id", "D"}, {"file_unique_id", "D1"}};
      CHECK(sent_text(h.feed(doc)).find("not supported yet") != std::string::npos);
    }
    SUBCASE("updates that break the contract are refused, not fatal") {
      auto no_chat = message(h, 1, "x");
      no_chat.erase("chat_id");
      CHECK_FALSE(h.router->handle(no_chat).ok());
      auto bad_callback = click(h, "f:note:1");
      bad_callback["callback"]["id"] = 5;
      CHECK_FALSE(h.router->handle(bad_callback).ok());
      auto odd_photo = message(h, 2, "x");
      odd_photo["photo"] = {{"file_id", "F"}, {"file_size", "big"}};
      CHECK(h.router->handle(odd_photo).ok());
    }
    SUBCASE("a service message without text or media is ignored quietly") {
      CHECK(h.feed(message(h, 50, "")).empty());
    }
  }

  TEST_CASE("m2g::route::Router::open") {
    auto dir = test::fresh_dir("restart");
    int64_t keyboard_update = 0;
    {
      Harness first(Harness::make_config(), dir);
      auto lines = first.feed(message(first, 10, "survives a restart"));
      CHECK(calls(lines, "sendMessage").size() == 1);
      keyboard_update = first.next_update;
    }
    Harness second(Harness::make_config(), dir);
    second.next_update = keyboard_update;
    auto jobs = of_kind(second.feed(click(second, "f:inbox:10")), "job");
    REQUIRE(jobs.size() == 1);
    CHECK(jobs[0]["text"] == "survives a restart");
  }

  TEST_CASE("m2g::route::Access") {
    Harness h;
    SUBCASE("an unknown chat is refused once and nothing is stored") {
      auto first = h.feed(message(h, 1, "hello", 999));
      CHECK(sent_text(first).find("<code>999</code>") != std::string::npos);
      CHECK(h.feed(message(h, 2, "again", 999)).empty());
      CHECK(h.feed(message(h, 3, "/default inbox", 999)).empty());
      auto clicked = h.feed(click(h, "f:note:1", 5, "", 999));
      CHECK(of_kind(clicked, "job").empty());
      CHECK(calls(clicked, "answerCallbackQuery").size() == 1); // the spinner still stops
      auto db = sqlite::Db::open(h.db).take_or_throw();
      for (const char* table : {"chat_settings", "custom_files", "route_pending", "route_stats"}) {
        auto count = db.prepare(std::string("SELECT count(*) FROM ") + table).take_or_throw();
        REQUIRE(count.step().take_or_throw());
        CHECK(count.column_int64(0) == 0);
      }
    }
    SUBCASE("multi-user: /start registers, before it only one hint") {
      h.config.multi_user = true;
      h.reopen();
      CHECK(sent_text(h.feed(message(h, 1, "hi", 555))).find("/start") != std::string::npos);
      CHECK(h.feed(message(h, 2, "hi again", 555)).empty());
      CHECK(sent_text(h.feed(message(h, 3, "/start", 555))).find("Welcome") != std::string::npos);
      CHECK(calls(h.feed(message(h, 4, "now a note", 555)), "sendMessage").size() == 1);
    }
    SUBCASE("commands addressed to another bot are not ours") {
      h.config.bot_username = "MyBot";
      h.reopen();
      CHECK(h.feed(message(h, 1, "/help@OtherBot")).empty());
      CHECK(calls(h.feed(message(h, 2, "/help@mybot")), "sendMessage").size() == 1);
    }
  }
}
