#include "tests/unit/scratch.hpp"

#include "common/route/pending.hpp"

#include <doctest/doctest.h>

using namespace m2g;
using namespace m2g::route;

TEST_SUITE("route") {
  TEST_CASE("m2g::route::PendingStore::put") {
    ManualClock clock;
    auto db = sqlite::Db::open(test::fresh_dir("pending") + "/p.db").take_or_throw();
    auto store = PendingStore::open(db, clock).take_or_throw();
    Pending p;
    p.chat_id = 1;
    p.message_id = 10;
    p.user_id = 7;
    p.date = 1'732'531'200;
    p.text = "héllo 😀";
    p.entities = nlohmann::json::array({{{"type", "bold"}, {"offset", 0}, {"length", 5}}});
    p.photo = {{"file_id", "F"}, {"file_size", 10}};
    p.custom_files = {"a.md", "b/c.md"};
    store.put(p).throw_if_failed();

    SUBCASE("round trip, stamped with the clock") {
      auto got = store.get(1, 10).take_or_throw();
      REQUIRE(got);
      CHECK(got->text == p.text);
      CHECK(got->entities == p.entities);
      CHECK(got->photo == p.photo);
      CHECK(got->custom_files == p.custom_files);
      CHECK(got->created_ms == clock.unix_ms());
      CHECK(got->state == Pending::State::pending);
      CHECK_FALSE(store.get(2, 10).take_or_throw());
      CHECK(store.waiting(1).take_or_throw() == 1);
    }
    SUBCASE("edits change only rows still waiting") {
      CHECK(store.update_text(1, 10, "new", nlohmann::json::array()).take_or_throw());
      CHECK(store.get(1, 10).take_or_throw()->text == "new");
      store.mark_filed(1, 10, "note", "note.md", "cb-1").throw_if_failed();
      CHECK_FALSE(store.update_text(1, 10, "newer", nlohmann::json::array()).take_or_throw());
      auto got = store.get(1, 10).take_or_throw();
      CHECK(got->text == "new");
      CHECK(got->state == Pending::State::filed);
      CHECK(got->file == "note.md");
      CHECK(got->filed_by == "cb-1");
      store.mark_cancelled(1, 10).throw_if_failed(); // a filed row stays filed
      CHECK(store.get(1, 10).take_or_throw()->state == Pending::State::filed);
    }
    SUBCASE("cancel_all counts only waiting rows of the chat") {
      p.message_id = 11;
      store.put(p).throw_if_failed();
      p.chat_id = 2;
      store.put(p).throw_if_failed();
      store.mark_filed(1, 11, "note", "note.md", "x").throw_if_failed();
      CHECK(store.cancel_all(1).take_or_throw() == 1);
      CHECK(store.get(1, 10).take_or_throw()->state == Pending::State::cancelled);
      CHECK(store.get(2, 11).take_or_throw()->state == Pending::State::pending);
    }
    SUBCASE("purge deletes by age") {
      clock.advance(std::chrono::hours(1));
      p.message_id = 12;
      store.put(p).throw_if_failed();
      CHECK(store.purge(clock.unix_ms() - 1000).take_or_throw() == 1);
      CHECK_FALSE(store.get(1, 10).take_or_throw());
      CHECK(store.get(1, 12).take_or_throw());
    }
  }
}
