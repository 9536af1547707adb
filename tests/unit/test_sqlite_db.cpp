#include "tests/unit/scratch.hpp"

#include "common/sqlite/db.hpp"

#include <doctest/doctest.h>
#include <sqlite3.h>

using namespace m2g;

namespace {

sqlite::Db fresh_db(const std::string& name) {
  auto db = sqlite::Db::open(test::fresh_dir(name) + "/t.db").take_or_throw();
  db.exec("CREATE TABLE t (v INTEGER)").throw_if_failed();
  return db;
}

int64_t count_rows(sqlite::Db& db) {
  auto stmt = db.prepare("SELECT count(*) FROM t").take_or_throw();
  REQUIRE(stmt.step().take_or_throw());
  return stmt.column_int64(0);
}

void insert(sqlite::Db& db, int64_t value) {
  db.prepare("INSERT INTO t (v) VALUES (?)").take_or_throw().bind(1, value).run().throw_if_failed();
}

} // namespace

TEST_SUITE("sqlite") {
  TEST_CASE("m2g::sqlite::Transaction::begin") {
    auto db = fresh_db("sqlite-tx");
    SUBCASE("alone, it is a transaction of its own") {
      {
        auto tx = sqlite::Transaction::begin(db).take_or_throw();
        CHECK(db.in_transaction());
        insert(db, 1);
      } // not committed: rolled back
      CHECK_FALSE(db.in_transaction());
      CHECK(count_rows(db) == 0);
      auto tx = sqlite::Transaction::begin(db).take_or_throw();
      insert(db, 2);
      tx.commit().throw_if_failed();
      CHECK_FALSE(db.in_transaction());
      CHECK(count_rows(db) == 1);
    }
    SUBCASE("inside an open transaction, it commits into it and rolls back only its own writes") {
      db.exec("BEGIN IMMEDIATE").throw_if_failed();
      insert(db, 1);
      {
        auto inner = sqlite::Transaction::begin(db).take_or_throw();
        insert(db, 2);
      } // rolled back to its savepoint; the outer transaction stays open
      REQUIRE(db.in_transaction());
      CHECK(count_rows(db) == 1);
      {
        auto inner = sqlite::Transaction::begin(db).take_or_throw();
        insert(db, 3);
        inner.commit().throw_if_failed();
      }
      REQUIRE(db.in_transaction()); // the inner commit did not end the outer transaction
      db.exec("ROLLBACK").throw_if_failed();
      CHECK(count_rows(db) == 0); // so the outer rollback undid the committed inner write too
    }
  }

  TEST_CASE("m2g::sqlite::Db::prepare") {
    auto db = fresh_db("sqlite-prepare");
    SUBCASE("a statement of the same text is reused, reset and without its old bindings") {
      sqlite3_stmt* first = nullptr;
      {
        auto stmt = db.prepare("SELECT ?1 IS NULL").take_or_throw();
        stmt.bind(1, int64_t{7});
        REQUIRE(stmt.step().take_or_throw());
        CHECK(stmt.column_int64(0) == 0);
        first = sqlite3_next_stmt(db.handle(), nullptr);
      } // destroyed mid-result: goes back to the cache
      auto again = db.prepare("SELECT ?1 IS NULL").take_or_throw();
      CHECK(sqlite3_next_stmt(db.handle(), nullptr) == first); // no second statement prepared
      REQUIRE(again.step().take_or_throw());
      CHECK(again.column_int64(0) == 1); // the old binding is gone
    }
    SUBCASE("two live statements of one text are distinct") {
      insert(db, 1);
      insert(db, 2);
      auto a = db.prepare("SELECT v FROM t ORDER BY v").take_or_throw();
      auto b = db.prepare("SELECT v FROM t ORDER BY v").take_or_throw();
      REQUIRE(a.step().take_or_throw());
      REQUIRE(a.step().take_or_throw());
      REQUIRE(b.step().take_or_throw());
      CHECK(a.column_int64(0) == 2);
      CHECK(b.column_int64(0) == 1);
    }
    SUBCASE("a cached statement does not hold a read transaction open") {
      {
        auto stmt = db.prepare("SELECT v FROM t").take_or_throw();
        insert(db, 1);
        REQUIRE(stmt.step().take_or_throw());
      }
      // Another connection can still checkpoint and write: nothing of ours is left reading.
      auto other = sqlite::Db::open(db.path()).take_or_throw();
      other.exec("INSERT INTO t (v) VALUES (5)").throw_if_failed();
      CHECK(sqlite3_wal_checkpoint_v2(db.handle(), nullptr, SQLITE_CHECKPOINT_TRUNCATE, nullptr, nullptr) == SQLITE_OK);
      CHECK(count_rows(db) == 2);
    }
    SUBCASE("statements may outlive their database") {
      auto stmt = db.prepare("SELECT 1").take_or_throw();
      { sqlite::Db gone = std::move(db); }
      // Destroying the statement now must neither crash nor leak (ASan runs this).
    }
  }
}
