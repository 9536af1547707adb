#include "tests/unit/scratch.hpp"

#include "common/stage/quiet_checkpoint.hpp"

#include <doctest/doctest.h>
#include <filesystem>

using namespace m2g;

namespace {

sqlite::Db open_db(const std::string& path) {
  auto db = sqlite::Db::open(path).take_or_throw();
  db.exec("CREATE TABLE IF NOT EXISTS t (v INTEGER)").throw_if_failed();
  return db;
}

void insert_rows(sqlite::Db& db, int rows) {
  for (int i = 0; i < rows; ++i) {
    db.exec("INSERT INTO t (v) VALUES (1)").throw_if_failed();
  }
}

// Rows in the database file alone (-1: not even the table): a copy without its write-ahead log
// shows only what a checkpoint has moved into the file.
int64_t rows_in_file(const std::string& path) {
  std::string copy = path + ".copy";
  std::filesystem::remove(copy + "-wal");
  std::filesystem::remove(copy + "-shm");
  std::filesystem::copy_file(path, copy, std::filesystem::copy_options::overwrite_existing);
  auto db = sqlite::Db::open(copy).take_or_throw();
  auto stmt = db.prepare("SELECT count(*) FROM t");
  if (!stmt.ok()) {
    return -1;
  }
  REQUIRE(stmt->step().take_or_throw());
  return stmt->column_int64(0);
}

} // namespace

TEST_SUITE("stage") {
  TEST_CASE("m2g::sqlite::Db::checkpoint_passive") {
    std::string path = test::fresh_dir("checkpoint") + "/q.db";
    auto db = open_db(path);
    insert_rows(db, 3);
    CHECK(rows_in_file(path) == -1); // SQLite's own checkpoint waits for 1,000 pages
    auto info = db.checkpoint_passive().take_or_throw();
    CHECK(info.log_frames > 0);
    CHECK(info.copied_frames == info.log_frames);
    CHECK(rows_in_file(path) == 3);
    CHECK(db.checkpoint_passive().take_or_throw() == info); // nothing written since
  }

  TEST_CASE("m2g::stage::QuietCheckpoint") {
    ManualClock clock;
    event::Loop loop(clock);
    std::string path = test::fresh_dir("quiet-checkpoint") + "/q.db";
    auto mine = open_db(path);
    auto other = open_db(path); // another stage on the same file
    stage::QuietCheckpoint quiet(loop, Millis(200));
    quiet.add(mine);
    auto settle = [&](Millis step) {
      clock.advance(step);
      loop.run_once(Millis(0));
    };

    insert_rows(mine, 2);
    quiet.busy();
    settle(Millis(150));
    insert_rows(mine, 1);
    quiet.busy(); // still working: the quiet period starts again
    settle(Millis(100));
    CHECK(rows_in_file(path) == -1);
    CHECK(quiet.checkpoints() == 0);
    settle(Millis(100)); // 200 ms since the last piece of work
    CHECK(rows_in_file(path) == 3);
    CHECK(quiet.checkpoints() == 1);

    SUBCASE("while others write, it goes on copying") {
      insert_rows(other, 4);
      settle(Millis(200));
      CHECK(rows_in_file(path) == 7);
      CHECK(quiet.checkpoints() == 2);
    }
    SUBCASE("after a period in which nobody wrote, it stops looking until its next work") {
      settle(Millis(200)); // finds nothing new
      insert_rows(other, 4);
      settle(Millis(1000));
      CHECK(rows_in_file(path) == 3);
      quiet.busy();
      settle(Millis(200));
      CHECK(rows_in_file(path) == 7);
      CHECK(quiet.checkpoints() == 2);
    }
  }
}
