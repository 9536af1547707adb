#include "tests/unit/scratch.hpp"

#include "common/settings/store.hpp"

#include <doctest/doctest.h>
#include <fstream>
#include <iterator>

using namespace m2g;

namespace {
crypto::Key key_of(char fill) {
  return crypto::Key::from_bytes(std::string(32, fill)).take_or_throw();
}

std::string file_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}
} // namespace

TEST_SUITE("settings") {
  TEST_CASE("m2g::settings::Store::get") {
    auto path = test::fresh_dir("settings") + "/s.db";
    auto store = settings::Store::open(path).take_or_throw();
    SUBCASE("an unknown chat has the defaults and no row is written") {
      auto chat = store.get(5).take_or_throw();
      CHECK(chat.chat_id == 5);
      CHECK_FALSE(chat.registered);
      CHECK(chat.repo_url.empty());
      CHECK_FALSE(chat.llm.has_value());
      CHECK(chat.custom_files.empty());
      auto count = store.db().prepare("SELECT count(*) FROM chat_settings").take_or_throw();
      REQUIRE(count.step().take_or_throw());
      CHECK(count.column_int64(0) == 0);
    }
    SUBCASE("every setting round-trips, per chat") {
      store.set_llm(1, false).throw_if_failed();
      store.set_default_target(1, "inbox").throw_if_failed();
      store.set_tz(1, "Europe/Berlin").throw_if_failed();
      store.set_photo_limit(1, 5 << 20).throw_if_failed();
      store.set_registered(1).throw_if_failed();
      CHECK(store.add_custom_file(1, "b.md").take_or_throw());
      CHECK(store.add_custom_file(1, "a.md").take_or_throw());
      CHECK_FALSE(store.add_custom_file(1, "a.md").take_or_throw());
      auto chat = store.get(1).take_or_throw();
      CHECK(chat.llm == std::optional<bool>(false));
      CHECK(chat.default_target == "inbox");
      CHECK(chat.tz == "Europe/Berlin");
      CHECK(chat.photo_limit == std::optional<int64_t>(5 << 20));
      CHECK(chat.registered);
      CHECK(chat.custom_files == std::vector<std::string>{"b.md", "a.md"});
      CHECK(store.get(2).take_or_throw().custom_files.empty());
      CHECK(store.remove_custom_file(1, "b.md").take_or_throw());
      CHECK_FALSE(store.remove_custom_file(1, "b.md").take_or_throw());
      store.set_llm(1, std::nullopt).throw_if_failed();
      store.set_default_target(1, "").throw_if_failed();
      chat = store.get(1).take_or_throw();
      CHECK_FALSE(chat.llm.has_value());
      CHECK(chat.default_target.empty());
      CHECK(chat.custom_files == std::vector<std::string>{"a.md"});
    }
  }

  TEST_CASE("m2g::settings::Store::decrypted_token") {
    auto path = test::fresh_dir("token") + "/s.db";
    auto key = key_of('k');
    std::string token = "ghp_R0uteT0kenNeverInThePlain1234567";
    {
      auto store = settings::Store::open(path).take_or_throw();
      store.set_repo_with_token(7, "https://github.com/me/notes", token, key).throw_if_failed();
      auto chat = store.get(7).take_or_throw();
      CHECK(chat.has_token);
      CHECK(chat.repo_url == "https://github.com/me/notes");
    }
    SUBCASE("the token is nowhere in the file, and a read-only store decrypts it") {
      auto bytes = file_bytes(path) + file_bytes(path + "-wal");
      CHECK(bytes.find(token) == std::string::npos);
      CHECK(bytes.find("R0uteT0ken") == std::string::npos);
      auto reader = settings::Store::open(path, true).take_or_throw();
      CHECK(reader.repo_for(7).take_or_throw() == std::optional<std::string>("https://github.com/me/notes"));
      CHECK(reader.decrypted_token(7, key).take_or_throw() == std::optional<std::string>(token));
      CHECK_FALSE(reader.decrypted_token(8, key).take_or_throw().has_value());
      CHECK_FALSE(reader.repo_for(8).take_or_throw().has_value());
      CHECK_FALSE(reader.set_llm(7, true).ok());
    }
    SUBCASE("another key does not open it") {
      auto reader = settings::Store::open(path, true).take_or_throw();
      auto opened = reader.decrypted_token(7, key_of('x'));
      REQUIRE_FALSE(opened.ok());
      CHECK(opened.error().find("chat 7") != std::string::npos);
    }
    SUBCASE("a sealed token copied into another chat's row does not open there") {
      auto store = settings::Store::open(path).take_or_throw();
      store.set_repo(8, "https://github.com/other/notes").throw_if_failed();
      store.db()
          .exec("UPDATE chat_settings SET repo_token = (SELECT repo_token FROM chat_settings WHERE chat_id = 7) "
                "WHERE chat_id = 8")
          .throw_if_failed();
      CHECK_FALSE(store.decrypted_token(8, key).ok());
    }
    SUBCASE("a new URL drops the old token; clear_repo forgets both") {
      auto store = settings::Store::open(path).take_or_throw();
      store.set_repo(7, "https://github.com/me/other").throw_if_failed();
      CHECK_FALSE(store.get(7).take_or_throw().has_token);
      CHECK_FALSE(store.decrypted_token(7, key).take_or_throw().has_value());
      store.clear_repo(7).throw_if_failed();
      CHECK(store.get(7).take_or_throw().repo_url.empty());
    }
  }

  TEST_CASE("m2g::settings::Store::open") {
    auto dir = test::fresh_dir("open");
    SUBCASE("read-only on a file without settings finds no chats") {
      sqlite::Db::open(dir + "/empty.db").take_or_throw();
      auto reader = settings::Store::open(dir + "/empty.db", true).take_or_throw();
      CHECK(reader.get(1).take_or_throw().repo_url.empty());
      CHECK_FALSE(reader.repo_for(1).take_or_throw().has_value());
    }
    SUBCASE("read-only on a missing file fails") {
      CHECK_FALSE(settings::Store::open(dir + "/none.db", true).ok());
    }
  }
}
