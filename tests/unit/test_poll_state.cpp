#include "tests/unit/scratch.hpp"

#include "common/poll/state.hpp"

#include <doctest/doctest.h>

using namespace m2g;

namespace {
sqlite::Db open_db(const std::string& path) {
  sqlite::OpenOptions options;
  options.sync = sqlite::Sync::normal;
  return sqlite::Db::open(path, options).take_or_throw();
}
} // namespace

TEST_SUITE("poll") {
  TEST_CASE("m2g::poll::StateStore") {
    ManualClock clock;
    std::string path = test::fresh_dir("state") + "/poll.db";
    auto db = open_db(path);
    auto store = poll::StateStore::open(db, 123, clock).take_or_throw();

    SUBCASE("no offset stored reads 0; a committed offset survives reopening") {
      CHECK(store.offset().take_or_throw() == 0);
      {
        auto tx = sqlite::Transaction::begin(db).take_or_throw();
        store.set_offset(501).throw_if_failed();
        tx.commit().throw_if_failed();
      }
      CHECK(store.offset().take_or_throw() == 501);
      auto db2 = open_db(path);
      auto again = poll::StateStore::open(db2, 123, clock).take_or_throw();
      CHECK(again.offset().take_or_throw() == 501);
      auto other_bot = poll::StateStore::open(db2, 456, clock).take_or_throw();
      CHECK(other_bot.offset().take_or_throw() == 0);
    }
    SUBCASE("a rolled-back transaction leaves offset and seen ids as they were") {
      {
        auto tx = sqlite::Transaction::begin(db).take_or_throw();
        store.set_offset(9);
        CHECK(store.mark_seen(8).take_or_throw());
      } // no commit: rolled back
      CHECK(store.offset().take_or_throw() == 0);
      CHECK_FALSE(store.seen(8).take_or_throw());
    }
    SUBCASE("mark_seen reports duplicates, per bot") {
      auto tx = sqlite::Transaction::begin(db).take_or_throw();
      CHECK(store.mark_seen(10).take_or_throw());
      CHECK_FALSE(store.mark_seen(10).take_or_throw());
      CHECK(store.mark_seen(11).take_or_throw());
      tx.commit().throw_if_failed();
      auto other_bot = poll::StateStore::open(db, 456, clock).take_or_throw();
      auto tx2 = sqlite::Transaction::begin(db).take_or_throw();
      CHECK(other_bot.mark_seen(10).take_or_throw());
      tx2.commit().throw_if_failed();
    }
    SUBCASE("prune forgets ids older than the window, keeps newer ones") {
      {
        auto tx = sqlite::Transaction::begin(db).take_or_throw();
        store.mark_seen(1).take_or_throw();
        tx.commit().throw_if_failed();
      }
      clock.advance(std::chrono::hours(47));
      {
        auto tx = sqlite::Transaction::begin(db).take_or_throw();
        store.mark_seen(2).take_or_throw();
        tx.commit().throw_if_failed();
      }
      CHECK(store.prune().take_or_throw() == 0);
      clock.advance(std::chrono::hours(2));
      CHECK(store.prune().take_or_throw() == 1);
      CHECK_FALSE(store.seen(1).take_or_throw());
      CHECK(store.seen(2).take_or_throw());
    }
  }
}
