#include "common/telegram/normalize.hpp"

#include <doctest/doctest.h>

using namespace m2g;
using telegram::json;

namespace {

constexpr int64_t k_now = 1'732'531'200'123;

json normalize(const char* update_text, telegram::NormalizeOptions options = {}) {
  return telegram::normalize_update(json::parse(update_text), k_now, options).take_or_throw();
}

} // namespace

TEST_SUITE("telegram") {
  TEST_CASE("m2g::telegram::parse_command") {
    SUBCASE("name, bot and args; case folded; whitespace trimmed") {
      auto c = telegram::parse_command("/Todo@MyBot  5 ");
      REQUIRE(c);
      CHECK(c->name == "todo");
      CHECK(c->bot == "MyBot");
      CHECK(c->args == "5");
    }
    SUBCASE("bare command, command with multi-line args") {
      auto bare = telegram::parse_command("/sync");
      REQUIRE(bare);
      CHECK(bare->name == "sync");
      CHECK(bare->bot.empty());
      CHECK(bare->args.empty());
      auto multi = telegram::parse_command("/issue\nline one\nline two\n");
      REQUIRE(multi);
      CHECK(multi->name == "issue");
      CHECK(multi->args == "line one\nline two");
    }
    SUBCASE("not commands") {
      CHECK_FALSE(telegram::parse_command(""));
      CHECK_FALSE(telegram::parse_command("todo 5"));
      CHECK_FALSE(telegram::parse_command("/"));
      CHECK_FALSE(telegram::parse_command("/ todo"));
      CHECK_FALSE(telegram::parse_command("/a-b"));
      CHECK_FALSE(telegram::parse_command("/todo@"));
      CHECK_FALSE(telegram::parse_command("/usr/bin/env"));
      CHECK_FALSE(telegram::parse_command("/" + std::string(33, 'a')));
      CHECK(telegram::parse_command("/" + std::string(32, 'a')));
    }
  }

  TEST_CASE("m2g::telegram::bot_id_from_token") {
    CHECK(telegram::bot_id_from_token("123456:ABC-def") == 123456);
    CHECK(telegram::bot_id_from_token("abc:def") == 0);
    CHECK(telegram::bot_id_from_token("nocolon") == 0);
    CHECK(telegram::bot_id_from_token(":x") == 0);
  }

  TEST_CASE("m2g::telegram::normalize_update") {
    SUBCASE("a text message with a command") {
      json out = normalize(R"({"update_id":41,"message":{"message_id":7,"date":1732531200,
        "chat":{"id":-1001234567890123,"type":"supergroup","title":"t"},
        "from":{"id":99,"is_bot":false,"first_name":"Ann","username":"ann","language_code":"de","last_name":"X"},
        "text":"/todo@Bot  buy milk ","entities":[{"type":"bot_command","offset":0,"length":9}]}})");
      CHECK(out["v"] == 1);
      CHECK(out["kind"] == "update");
      CHECK(out["id"] == "tg:41");
      CHECK(out["update_id"] == 41);
      CHECK(out["t0"] == k_now);
      CHECK(out["ts"] == k_now);
      CHECK(out["type"] == "message");
      CHECK(out["message_id"] == 7);
      CHECK(out["date"] == 1732531200);
      CHECK(out["chat_id"] == -1001234567890123);
      CHECK(out["chat_type"] == "supergroup");
      CHECK(out["user_id"] == 99);
      CHECK(out["from"] == json::parse(R"({"username":"ann","first_name":"Ann","language_code":"de"})"));
      CHECK(out["text"] == "/todo@Bot  buy milk ");
      CHECK(out["entities"].size() == 1);
      CHECK(out["command"] == "todo");
      CHECK(out["args"] == "buy milk");
      CHECK_FALSE(out.contains("raw"));
    }
    SUBCASE("a photo: the largest size by area whatever the order, caption as text") {
      json out = normalize(R"({"update_id":1,"message":{"message_id":2,"date":3,"chat":{"id":4,"type":"private"},
        "photo":[{"file_id":"big","file_unique_id":"ub","width":1280,"height":960,"file_size":200000},
                 {"file_id":"small","file_unique_id":"us","width":90,"height":67,"file_size":1000},
                 {"file_id":"mid","file_unique_id":"um","width":320,"height":240,"file_size":9000}],
        "caption":"sunset","caption_entities":[{"type":"bold","offset":0,"length":3}],"media_group_id":"alb1"}})");
      CHECK(out["photo"] == json::parse(R"({"file_id":"big","file_unique_id":"ub","width":1280,"height":960,
                                            "file_size":200000})"));
      CHECK(out["text"] == "sunset");
      CHECK(out["entities"][0]["type"] == "bold");
      CHECK(out["media_group_id"] == "alb1");
      CHECK_FALSE(out.contains("user_id"));
    }
    SUBCASE("equal areas: the bigger file wins") {
      json out = normalize(R"({"update_id":1,"message":{"message_id":2,"date":3,"chat":{"id":4,"type":"private"},
        "photo":[{"file_id":"a","file_unique_id":"ua","width":10,"height":10,"file_size":5},
                 {"file_id":"b","file_unique_id":"ub","width":10,"height":10,"file_size":6}]}})");
      CHECK(out["photo"]["file_id"] == "b");
    }
    SUBCASE("document, voice, video, audio, sticker") {
      json out = normalize(R"({"update_id":1,"message":{"message_id":2,"date":3,"chat":{"id":4,"type":"private"},
        "document":{"file_id":"d","file_unique_id":"ud","file_name":"a.pdf","mime_type":"application/pdf","file_size":10},
        "voice":{"file_id":"v","file_unique_id":"uv","duration":3,"mime_type":"audio/ogg"},
        "video":{"file_id":"vi","file_unique_id":"uvi","width":1,"height":1,"duration":1},
        "audio":{"file_id":"au","file_unique_id":"uau","duration":1,"file_name":"s.mp3"},
        "sticker":{"file_id":"st","file_unique_id":"ust","type":"regular","width":1,"height":1}}})");
      CHECK(out["document"] == json::parse(R"({"file_id":"d","file_unique_id":"ud","file_name":"a.pdf",
                                               "mime_type":"application/pdf","file_size":10})"));
      CHECK(out["voice"] == json::parse(R"({"file_id":"v","file_unique_id":"uv","mime_type":"audio/ogg"})"));
      CHECK(out["video"]["file_id"] == "vi");
      CHECK(out["audio"]["file_name"] == "s.mp3");
      CHECK(out["sticker"]["file_unique_id"] == "ust");
      CHECK_FALSE(out.contains("text"));
    }
    SUBCASE("edited messages, channel posts and edited channel posts keep their type") {
      for (const char* kind : {"edited_message", "channel_post", "edited_channel_post"}) {
        json update = json::parse(R"({"update_id":5})");
        update[kind] = json::parse(R"({"message_id":8,"date":9,"edit_date":10,"chat":{"id":-100,"type":"channel"},
                                      "text":"hi"})");
        json out = telegram::normalize_update(update, k_now).take_or_throw();
        CHECK(out["type"] == kind);
        CHECK(out["message_id"] == 8);
        CHECK(out["chat_type"] == "channel");
        CHECK(out["text"] == "hi");
        CHECK_FALSE(out.contains("command"));
      }
    }
    SUBCASE("a reply: the replied-to message, from_bot by the bot's id when known") {
      const char* text = R"({"update_id":1,"message":{"message_id":20,"date":3,"chat":{"id":4,"type":"private"},
        "text":"/done","reply_to_message":{"message_id":19,"date":2,"chat":{"id":4,"type":"private"},
        "from":{"id":777,"is_bot":true,"first_name":"B"},"text":"- [ ] buy milk"}}})";
      json any_bot = normalize(text);
      CHECK(any_bot["reply_to"] == json::parse(R"({"message_id":19,"date":2,"user_id":777,"text":"- [ ] buy milk",
                                                   "from_bot":true})"));
      CHECK(normalize(text, {777})["reply_to"]["from_bot"] == true);
      CHECK(normalize(text, {778})["reply_to"]["from_bot"] == false);
    }
    SUBCASE("a callback query: data, the keyboard message, and the person's message it answers") {
      json out = normalize(R"({"update_id":9,"callback_query":{"id":"cb1","chat_instance":"ci",
        "from":{"id":99,"is_bot":false,"first_name":"Ann"},"data":"file_NOTE",
        "message":{"message_id":31,"date":5,"chat":{"id":4,"type":"private"},"from":{"id":777,"is_bot":true,"first_name":"B"},
          "text":"Please choose a location:","reply_to_message":{"message_id":30,"date":4,"chat":{"id":4,"type":"private"},
          "from":{"id":99,"is_bot":false,"first_name":"Ann"},"text":"remember the milk"}}}})");
      CHECK(out["type"] == "callback_query");
      CHECK(out["callback"] == json::parse(R"({"id":"cb1","data":"file_NOTE","message_id":31})"));
      CHECK(out["user_id"] == 99);
      CHECK(out["chat_id"] == 4);
      CHECK(out["message_id"] == 30);
      CHECK(out["status_message_id"] == 31);
      CHECK(out["reply_to"]["text"] == "remember the milk");
      CHECK(out["reply_to"]["from_bot"] == false);
      CHECK_FALSE(out.contains("text"));
    }
    SUBCASE("a callback on an inaccessible message or an inline message") {
      json out = normalize(R"({"update_id":9,"callback_query":{"id":"cb2","chat_instance":"ci",
        "from":{"id":99,"is_bot":false,"first_name":"Ann"},"inline_message_id":"im","data":"x"}})");
      CHECK(out["callback"] == json::parse(R"({"id":"cb2","data":"x","inline_message_id":"im"})"));
      CHECK_FALSE(out.contains("chat_id"));
      CHECK_FALSE(out.contains("message_id"));
    }
    SUBCASE("an unknown kind is passed on whole as type other") {
      const char* text = R"({"update_id":12,"my_chat_member":{"chat":{"id":4,"type":"private"},
        "from":{"id":99,"is_bot":false,"first_name":"Ann"},"date":1,"old_chat_member":{},"new_chat_member":{}}})";
      json out = normalize(text);
      CHECK(out["type"] == "other");
      CHECK(out["raw"] == json::parse(text));
      CHECK(out["chat_id"] == 4);
      CHECK(out["user_id"] == 99);
      CHECK(normalize(R"({"update_id":13})")["type"] == "other");
    }
    SUBCASE("wrong shapes never throw: fields of the wrong type are left out, bad payloads go to raw") {
      json out = normalize(R"({"update_id":14,"message":{"message_id":"x","chat":[],"from":5,"text":7,
        "photo":{"file_id":1},"document":"d","reply_to_message":null}})");
      CHECK(out["type"] == "message");
      CHECK_FALSE(out.contains("message_id"));
      CHECK_FALSE(out.contains("chat_id"));
      CHECK_FALSE(out.contains("text"));
      CHECK_FALSE(out.contains("photo"));
      CHECK_FALSE(out.contains("document"));
      json not_object = normalize(R"({"update_id":15,"message":"hello"})");
      CHECK(not_object["type"] == "other");
      CHECK(not_object["raw"]["message"] == "hello");
    }
    SUBCASE("no update_id: a failure, not an exception") {
      CHECK_FALSE(telegram::normalize_update(json::parse(R"({"message":{}})"), k_now).ok());
      CHECK_FALSE(telegram::normalize_update(json::parse(R"({"update_id":"1"})"), k_now).ok());
      CHECK_FALSE(telegram::normalize_update(json::parse("[1]"), k_now).ok());
      CHECK(telegram::normalize_update(json::parse("[1]"), k_now).failure().exit_code == 65);
    }
  }
}
