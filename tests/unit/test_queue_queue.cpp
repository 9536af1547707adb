#include "tests/unit/scratch.hpp"

#include "common/queue/queue.hpp"

#include <doctest/doctest.h>
#include <set>

using namespace m2g;

namespace {
queue::Queue open_queue(const std::string& dir, Clock& clock) {
  sqlite::OpenOptions options;
  options.sync = sqlite::Sync::normal;
  return queue::Queue::open(dir + "/q.db", options, clock).take_or_throw();
}

int64_t count(queue::Queue& q, const std::string& sql) {
  auto stmt = q.db().prepare(sql).take_or_throw();
  REQUIRE(stmt.step().take_or_throw());
  return stmt.column_int64(0);
}

std::vector<std::string> lines_of(const std::vector<queue::Entry>& entries) {
  std::vector<std::string> out;
  for (const auto& e : entries) {
    out.push_back(e.line);
  }
  return out;
}

std::vector<std::string> numbered(int from, int to) {
  std::vector<std::string> out;
  for (int i = from; i <= to; ++i) {
    out.push_back(R"({"n":)" + std::to_string(i) + "}");
  }
  return out;
}
} // namespace

TEST_SUITE("queue") {
  TEST_CASE("m2g::queue::Queue::take") {
    ManualClock clock;
    auto q = open_queue(test::fresh_dir("take"), clock);
    q.put("a", {R"({"n":1})", R"({"n":2})", R"({"n":3})"}).throw_if_failed();
    q.put("b", {R"({"n":9})"}).throw_if_failed();
    queue::TakeOptions options;
    options.max = 2;
    options.lease_ms = 10'000;

    SUBCASE("in order, leased, per topic") {
      auto first = q.take("a", options).take_or_throw();
      REQUIRE(first.size() == 2);
      CHECK(first[0].line == R"({"n":1})");
      CHECK(first[1].line == R"({"n":2})");
      CHECK(first[0].tries == 1);
      auto second = q.take("a", options).take_or_throw();
      REQUIRE(second.size() == 1);
      CHECK(second[0].line == R"({"n":3})");
      CHECK(q.take("a", options).take_or_throw().empty());
    }
    SUBCASE("a lease that runs out makes the line ready again") {
      auto first = q.take("a", options).take_or_throw();
      REQUIRE(first.size() == 2);
      clock.advance(std::chrono::milliseconds(9'999));
      CHECK(q.take("a", options).take_or_throw().size() == 1); // only n=3
      clock.advance(std::chrono::milliseconds(2));
      auto again = q.take("a", options).take_or_throw();
      REQUIRE(again.size() == 2);
      CHECK(again[0].id == first[0].id);
      CHECK(again[0].tries == 2);
    }
    SUBCASE("after_id skips lines a draining reader already got, even once their lease ran out") {
      auto first = q.take("a", options).take_or_throw();
      REQUIRE(first.size() == 2);
      clock.advance(std::chrono::milliseconds(10'001)); // n=1 and n=2 are due again
      options.after_id = first[1].id;
      auto rest = q.take("a", options).take_or_throw();
      REQUIRE(rest.size() == 1);
      CHECK(rest[0].line == R"({"n":3})");
      options.after_id = 0;
      auto again = q.take("a", options).take_or_throw();
      REQUIRE(again.size() == 2);
      CHECK(again[0].id == first[0].id);
    }
    SUBCASE("ack deletes, nack releases at once") {
      auto taken = q.take("a", options).take_or_throw();
      CHECK(q.ack("a", {taken[0].id}).take_or_throw() == 1);
      CHECK(q.ack("b", {taken[1].id}).take_or_throw() == 0); // wrong topic: untouched
      CHECK(q.nack("a", {taken[1].id}).take_or_throw() == 1);
      auto next = q.take("a", options).take_or_throw();
      REQUIRE(next.size() == 2);
      CHECK(next[0].id == taken[1].id);
    }
    SUBCASE("a line taken max_tries times goes dead, and revive brings it back") {
      options.max = 1;
      options.max_tries = 2;
      options.lease_ms = 1;
      q.ack("a", {2, 3}).take_or_throw(); // leave only n=1 (id 1)
      CHECK(q.take("a", options).take_or_throw().size() == 1);
      clock.advance(std::chrono::milliseconds(5));
      CHECK(q.take("a", options).take_or_throw().size() == 1);
      clock.advance(std::chrono::milliseconds(5));
      CHECK(q.take("a", options).take_or_throw().empty());
      auto stats = q.stat().take_or_throw();
      REQUIRE(stats.size() == 2);
      CHECK(stats[0].topic == "a");
      CHECK(stats[0].dead == 1);
      CHECK(q.dead("a", 10).take_or_throw().size() == 1);
      CHECK(q.revive("a").take_or_throw() == 1);
      CHECK(q.take("a", options).take_or_throw().size() == 1);
    }
  }

  TEST_CASE("m2g::queue::Queue::take batch leases") {
    ManualClock clock;
    auto q = open_queue(test::fresh_dir("span"), clock);
    q.put("a", numbered(1, 5)).throw_if_failed();
    queue::TakeOptions options;
    options.max = 3;
    options.lease_ms = 10'000;
    auto first = q.take("a", options).take_or_throw();
    REQUIRE(first.size() == 3);

    SUBCASE("fresh lines taken together are one lease row, and the lines are not rewritten") {
      CHECK(count(q, "SELECT COUNT(*) FROM m2g_queue_lease") == 1);
      CHECK(count(q, "SELECT COUNT(*) FROM m2g_queue WHERE lease_until = 0 AND tries = 0") == 5);
      CHECK(first[0].tries == 1);
      auto rest = q.take("a", options).take_or_throw();
      CHECK(lines_of(rest) == numbered(4, 5));
      CHECK(q.take("a", options).take_or_throw().empty());
    }
    SUBCASE("when the lease runs out, the lines not acknowledged come back with their try counted") {
      CHECK(q.ack("a", {first[1].id}).take_or_throw() == 1);
      clock.advance(std::chrono::milliseconds(10'001));
      options.max = 10;
      auto again = q.take("a", options).take_or_throw();
      REQUIRE(again.size() == 4); // n=1 and n=3 again, n=4 and n=5 for the first time
      CHECK(again[0].id == first[0].id);
      CHECK(again[0].tries == 2);
      CHECK(again[1].id == first[2].id);
      CHECK(again[1].tries == 2);
      CHECK(again[2].tries == 1);
      CHECK(again[3].line == R"({"n":5})");
    }
    SUBCASE("a released line of a span is ready at once, its try counted; the others stay leased") {
      CHECK(q.nack("a", {first[1].id}).take_or_throw() == 1);
      auto next = q.take("a", options).take_or_throw();
      REQUIRE(next.size() == 3);
      CHECK(next[0].id == first[1].id);
      CHECK(next[0].tries == 2);
      CHECK(lines_of({next[1], next[2]}) == numbered(4, 5));
    }
    SUBCASE("releasing a line never taken changes nothing") {
      auto rest = q.take("a", options).take_or_throw();
      REQUIRE(rest.size() == 2);
      q.put("a", {R"({"n":6})"}).throw_if_failed();
      CHECK(q.nack("a", {rest.back().id + 1}).take_or_throw() == 0);
      auto six = q.take("a", options).take_or_throw();
      REQUIRE(six.size() == 1);
      CHECK(six[0].tries == 1);
    }
    SUBCASE("a span ends once its lines are acknowledged; a line dead inside a live span revives at once") {
      options.max_tries = 1;
      options.lease_ms = 5;
      auto rest = q.take("a", options).take_or_throw(); // n=4, n=5 until +5 ms
      REQUIRE(rest.size() == 2);
      clock.advance(std::chrono::milliseconds(10'001));
      // n=1..3 were taken once already: with max_tries 1 they go dead instead; so do n=4, n=5.
      CHECK(q.take("a", options).take_or_throw().empty());
      CHECK(q.stat().take_or_throw()[0].dead == 5);
      CHECK(count(q, "SELECT COUNT(*) FROM m2g_queue_lease") == 0);
      // A new span above, then a revive of lines whose ids lie below its start.
      q.put("a", numbered(6, 7)).throw_if_failed();
      options.lease_ms = 10'000;
      options.max_tries = 0;
      auto six = q.take("a", options).take_or_throw();
      REQUIRE(lines_of(six) == numbered(6, 7));
      CHECK(q.revive("a").take_or_throw() == 5);
      auto revived = q.take("a", options).take_or_throw();
      CHECK(lines_of(revived) == numbered(1, 3));
      CHECK(revived[0].tries == 1);
      CHECK(q.ack("a", {six[0].id, six[1].id}).take_or_throw() == 2);
      CHECK(count(q, "SELECT COUNT(*) FROM m2g_queue_lease WHERE first_id = " + std::to_string(six[0].id)) == 0);
    }
  }

  TEST_CASE("m2g::queue::Queue::take after_id below fresh lines") {
    ManualClock clock;
    auto q = open_queue(test::fresh_dir("after"), clock);
    q.put("a", numbered(1, 3)).throw_if_failed();
    queue::TakeOptions options;
    options.max = 10;
    // A caller that says it has seen id 1 gets 2 and 3; line 1, never taken, is not lost.
    options.after_id = 1;
    auto later = q.take("a", options).take_or_throw();
    CHECK(lines_of(later) == numbered(2, 3));
    options.after_id = 0;
    auto first = q.take("a", options).take_or_throw();
    CHECK(lines_of(first) == numbered(1, 1));
    CHECK(q.take("a", options).take_or_throw().empty());
  }

  TEST_CASE("m2g::queue::Queue::take with nothing ready does not wait for the write lock") {
    // Every stage on a queue file wakes on every write to it; most wakes find nothing for
    // their topic and must not queue up behind the stage that holds the lock.
    ManualClock clock;
    auto dir = test::fresh_dir("take_unlocked");
    auto writer = open_queue(dir, clock);
    sqlite::OpenOptions impatient;
    impatient.sync = sqlite::Sync::normal;
    impatient.busy_timeout_ms = 50;
    auto reader = queue::Queue::open(dir + "/q.db", impatient, clock).take_or_throw();
    writer.put("taken", {R"({"n":1})"}).throw_if_failed();
    writer.put("ready", {R"({"n":2})"}).throw_if_failed();
    queue::TakeOptions options;
    options.lease_ms = 10'000;
    REQUIRE(reader.take("taken", options).take_or_throw().size() == 1);

    auto held = writer.begin().take_or_throw(); // the write lock, as another stage's handoff
    auto leased_only = reader.take("taken", options);
    REQUIRE(leased_only.ok());
    CHECK(leased_only->empty());
    auto unknown = reader.take("nothing", options);
    REQUIRE(unknown.ok());
    CHECK(unknown->empty());
    // A topic with a line ready does need the lock, and gets "busy" while it is held.
    auto ready = reader.take("ready", options);
    CHECK_FALSE(ready.ok());
    held.commit().throw_if_failed();
    CHECK(reader.take("ready", options).take_or_throw().size() == 1);
    // Once the lease runs out the line is ready again, and the look finds it.
    clock.advance(std::chrono::milliseconds(10'001));
    CHECK(reader.take("taken", options).take_or_throw().size() == 1);
  }

  TEST_CASE("m2g::queue::Queue::take concurrent takers") {
    ManualClock clock;
    auto dir = test::fresh_dir("takers");
    std::vector<queue::Queue> takers;
    for (int i = 0; i < 4; ++i) {
      takers.push_back(open_queue(dir, clock));
    }
    // Two topics interleaved, so the spans of one topic have the other's lines inside them.
    for (int i = 0; i < 50; ++i) {
      takers[0].put("a", numbered(i * 10, i * 10 + 9)).throw_if_failed();
      takers[1].put("b", numbered(i, i)).throw_if_failed();
    }
    queue::TakeOptions options;
    options.max = 7;
    std::set<int64_t> seen;
    size_t got = 0;
    for (bool more = true; more;) {
      more = false;
      for (auto& taker : takers) {
        auto entries = taker.take("a", options).take_or_throw();
        more = more || !entries.empty();
        got += entries.size();
        for (const auto& e : entries) {
          seen.insert(e.id);
        }
      }
    }
    CHECK(got == 500);
    CHECK(seen.size() == 500);
    auto stats = takers[2].stat().take_or_throw();
    REQUIRE(stats.size() == 2);
    CHECK(stats[0].leased == 500);
    CHECK(stats[0].ready == 0);
    CHECK(stats[1].ready == 50);
    options.max = 100;
    CHECK(takers[3].take("b", options).take_or_throw().size() == 50);
  }

  TEST_CASE("m2g::queue::Queue::remove_batch") {
    ManualClock clock;
    auto q = open_queue(test::fresh_dir("remove"), clock);
    for (int i = 1; i <= 6; ++i) {
      q.put(i % 2 ? "a" : "b", numbered(i, i)).throw_if_failed(); // a: ids 1,3,5; b: 2,4,6
    }
    queue::TakeOptions options;
    options.max = 10;
    auto a = q.take("a", options).take_or_throw();
    REQUIRE(a.size() == 3);
    auto tx = q.begin().take_or_throw();
    // A run 1..5 covers b's lines too: only a's go, and duplicates count once.
    CHECK(q.remove_batch("a", {5, 1, 2, 3, 4, 3}).take_or_throw() == 3);
    tx.commit().throw_if_failed();
    CHECK(count(q, "SELECT COUNT(*) FROM m2g_queue WHERE topic = 'b'") == 3);
    CHECK(count(q, "SELECT COUNT(*) FROM m2g_queue_lease") == 0);
    CHECK(q.take("b", options).take_or_throw().size() == 3);
  }

  TEST_CASE("m2g::queue::Queue::put") {
    ManualClock clock;
    auto dir = test::fresh_dir("put");
    auto q = open_queue(dir, clock);
    auto lines = numbered(1, 100); // several multi-row INSERTs and a remainder
    q.put("t", lines).throw_if_failed();
    queue::TakeOptions options;
    options.max = 1000;
    auto all = q.take("t", options).take_or_throw();
    CHECK(lines_of(all) == lines);
    CHECK(all.back().id - all.front().id == 99);
    CHECK(count(q, "PRAGMA page_size") == 16384);
  }

  TEST_CASE("m2g::queue::Queue::insert of many lines, in a stage's handoff") {
    ManualClock clock;
    auto dir = test::fresh_dir("insert-many");
    auto q = open_queue(dir, clock);
    q.put("in", numbered(1, 3)).throw_if_failed();
    queue::TakeOptions options;
    options.max = 1000;
    auto taken = q.take("in", options).take_or_throw();
    REQUIRE(taken.size() == 3);
    auto lines = numbered(10, 80); // two 32-row INSERTs and 7 single rows
    SUBCASE("committed with the acknowledgement: all of them, in order") {
      auto tx = q.begin().take_or_throw();
      q.insert("out", lines).throw_if_failed();
      CHECK(q.remove_batch("in", {taken[0].id, taken[1].id, taken[2].id}).take_or_throw() == 3);
      tx.commit().throw_if_failed();
      auto out = q.take("out", options).take_or_throw();
      CHECK(lines_of(out) == lines);
      CHECK(count(q, "SELECT count(*) FROM m2g_queue WHERE topic = 'in'") == 0);
    }
    SUBCASE("rolled back: none of them, and the input stays") {
      {
        auto tx = q.begin().take_or_throw();
        q.insert("out", lines).throw_if_failed();
        q.remove_batch("in", {taken[0].id}).take_or_throw();
      }
      CHECK(count(q, "SELECT count(*) FROM m2g_queue WHERE topic = 'out'") == 0);
      CHECK(count(q, "SELECT count(*) FROM m2g_queue WHERE topic = 'in'") == 3);
    }
    SUBCASE("nothing to insert") {
      q.insert("out", std::vector<std::string>{}).throw_if_failed();
      CHECK(count(q, "SELECT count(*) FROM m2g_queue WHERE topic = 'out'") == 0);
    }
  }

  TEST_CASE("m2g::queue::Queue::open sets a small page cache unless asked for another") {
    ManualClock clock;
    auto dir = test::fresh_dir("cache");
    auto q = open_queue(dir, clock);
    CHECK(count(q, "PRAGMA cache_size") == -256); // negative: KiB
    sqlite::OpenOptions options;
    options.cache_kib = 1024;
    auto wide = queue::Queue::open(dir + "/q.db", options, clock).take_or_throw();
    CHECK(count(wide, "PRAGMA cache_size") == -1024);
  }

  TEST_CASE("m2g::queue::Queue::stat") {
    ManualClock clock;
    auto q = open_queue(test::fresh_dir("stat"), clock);
    q.put("t", {"{}", "{}", "{}"}).throw_if_failed();
    clock.advance(std::chrono::seconds(3));
    queue::TakeOptions options;
    options.max = 1;
    q.take("t", options).take_or_throw();
    auto stats = q.stat().take_or_throw();
    REQUIRE(stats.size() == 1);
    CHECK(stats[0].ready == 2);
    CHECK(stats[0].leased == 1);
    CHECK(stats[0].dead == 0);
    CHECK(stats[0].oldest_ready_age_ms == 3000);

    SUBCASE("lines of a live span count as leased, and the oldest ready one lies above it") {
      q.put("t", {"{}"}).throw_if_failed(); // created now, 3 s after the others
      options.max = 2;
      q.take("t", options).take_or_throw(); // the two older fresh lines, one span
      stats = q.stat().take_or_throw();
      CHECK(stats[0].ready == 1);
      CHECK(stats[0].leased == 3);
      CHECK(stats[0].oldest_ready_age_ms == 0);
      clock.advance(std::chrono::milliseconds(options.lease_ms + 1));
      stats = q.stat().take_or_throw();
      CHECK(stats[0].ready == 4); // every lease ran out; the span is not even expired yet
      CHECK(stats[0].leased == 0);
      CHECK(stats[0].oldest_ready_age_ms == 3000 + options.lease_ms + 1);
    }
  }

  TEST_CASE("m2g::queue::parse_qid") {
    auto qid = queue::parse_qid("inbox:42");
    REQUIRE(qid);
    CHECK(qid->first == "inbox");
    CHECK(qid->second == 42);
    CHECK(queue::parse_qid("a:b:7")->first == "a:b");
    CHECK_FALSE(queue::parse_qid("inbox"));
    CHECK_FALSE(queue::parse_qid("inbox:"));
    CHECK_FALSE(queue::parse_qid(":5"));
    CHECK_FALSE(queue::parse_qid("inbox:-3"));
    CHECK_FALSE(queue::parse_qid("inbox:12x"));
    CHECK(queue::format_qid("t", 9) == "t:9");
  }
}
