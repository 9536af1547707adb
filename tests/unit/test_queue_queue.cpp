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
