#include "tests/unit/scratch.hpp"
#include "tests/unit/wake_probe.hpp"

#include "common/queue/queue.hpp"
#include "common/queue/wake.hpp"
#include "common/queue/watch.hpp"

#include <cstdio>
#include <doctest/doctest.h>

using namespace m2g;
using test::woken;

namespace {
queue::Queue open_queue(const std::string& path) {
  sqlite::OpenOptions options;
  options.sync = sqlite::Sync::normal;
  return queue::Queue::open(path, options).take_or_throw();
}
} // namespace

TEST_SUITE("queue") {
  TEST_CASE("m2g::queue::wake_path") {
    CHECK(queue::wake_path("/d/q.db", "routed") == "/d/q.db-wake/routed");
    CHECK(queue::wake_path("q.db", "a b/c%") == "q.db-wake/a%20b%2Fc%25");
    CHECK(queue::wake_path("q.db", "..") == "q.db-wake/%2E%2E");
    std::string long_topic(300, 'x');
    std::string name = queue::wake_path("q.db", long_topic).substr(std::string("q.db-wake/").size());
    CHECK(name.size() <= 120);
    CHECK(name != queue::wake_path("q.db", long_topic + "y").substr(std::string("q.db-wake/").size()));
  }

  TEST_CASE("m2g::queue::ChangeWatcher wakes for its own topic only") {
    auto dir = test::fresh_dir("wake");
    std::string path = dir + "/q.db";
    auto writer = open_queue(path);
    queue::ChangeWatcher routed(path, "routed");
    queue::ChangeWatcher admitted(path, "admitted");
    REQUIRE(routed.fd() >= 0);
    CHECK(routed.per_topic());
    CHECK_FALSE(woken(routed));

    writer.put("admitted", {R"({"n":1})"}).throw_if_failed();
    CHECK_FALSE(woken(routed)); // watching the WAL, this woke every reader of the file
    CHECK(woken(admitted));

    writer.put("routed", {R"({"n":2})"}).throw_if_failed();
    CHECK(woken(routed));
    CHECK_FALSE(woken(admitted));

    // A take and an acknowledgement store nothing new: no reader wakes.
    queue::TakeOptions take;
    take.max = 10;
    auto entries = writer.take("routed", take).take_or_throw();
    REQUIRE(entries.size() == 1);
    writer.ack("routed", {entries[0].id}).take_or_throw();
    CHECK_FALSE(woken(routed));

    // A released line is ready again: its readers hear of it.
    entries = writer.take("admitted", take).take_or_throw();
    REQUIRE(entries.size() == 1);
    CHECK(writer.nack("admitted", {entries[0].id}).take_or_throw() == 1);
    CHECK(woken(admitted));
  }

  TEST_CASE("m2g::queue::Queue::wake after a handoff of its own") {
    // A stage whose input and output share a file stores its outputs with insert() inside its
    // own transaction and wakes the output's readers after the commit.
    auto dir = test::fresh_dir("wake-handoff");
    std::string path = dir + "/q.db";
    auto q = open_queue(path);
    queue::ChangeWatcher out(path, "out");
    {
      auto tx = q.begin().take_or_throw();
      q.insert("out", R"({"n":1})").throw_if_failed();
      tx.commit().throw_if_failed();
    }
    CHECK_FALSE(woken(out));
    q.wake("out");
    CHECK(woken(out));
  }

  TEST_CASE("m2g::queue::ChangeWatcher falls back to the whole file without a wake folder") {
    auto dir = test::fresh_dir("wake-fallback");
    std::string path = dir + "/q.db";
    // A plain file where the wake folder would be: no wake file can be made.
    std::FILE* blocker = std::fopen((path + "-wake").c_str(), "w");
    REQUIRE(blocker != nullptr);
    std::fclose(blocker);
    auto writer = open_queue(path);
    writer.put("warm", {"{}"}).throw_if_failed(); // the WAL exists, so it can be watched
    queue::ChangeWatcher any(path, "t");
    REQUIRE(any.fd() >= 0);
    CHECK_FALSE(any.per_topic());
    writer.put("other", {"{}"}).throw_if_failed();
    CHECK(woken(any));
  }
}
