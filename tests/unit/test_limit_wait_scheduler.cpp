#include "common/limit/wait_scheduler.hpp"

#include <doctest/doctest.h>
#include <map>
#include <random>

using namespace m2g;
using namespace m2g::limit;
using namespace std::chrono_literals;

namespace {

LimitConfig config(double rate, double burst, double key_rate, double key_burst) {
  LimitConfig c;
  c.rate = rate;
  c.burst = burst;
  c.key_rate = key_rate;
  c.key_burst = key_burst;
  return c;
}

// A released line: its tag and when it left.
struct Release {
  int64_t tag;
  TimePoint at;
};

// Drives a scheduler the way the stage does: pump whenever time moves.
struct Harness {
  ManualClock clock;
  Limiter limiter;
  WaitScheduler scheduler{limiter};
  std::vector<Release> released;
  WaitScheduler::Sink sink = [this](std::string&&, int64_t tag) { released.push_back({tag, clock.now()}); };

  explicit Harness(const LimitConfig& c) : limiter(c, clock.now(), 99) {}
  uint64_t key(int k) { return limiter.hasher()(std::to_string(k)); }
  void offer(int k, int64_t tag) { scheduler.offer(key(k), "line", tag, clock.now(), sink); }
  // Advance in 1 ms ticks (the loop's timer resolution), pumping at each, until `until`.
  void run_for(std::chrono::milliseconds duration) {
    for (auto end = clock.now() + duration; clock.now() < end;) {
      clock.advance(1ms);
      scheduler.pump(clock.now(), sink);
    }
  }
};

} // namespace

TEST_SUITE("limit") {
  TEST_CASE("m2g::limit::WaitScheduler::offer") {
    SUBCASE("a line under both limits leaves at once; one over is held, then released in time") {
      Harness h(config(1000, 1000, 10, 2));
      h.offer(1, 1);
      h.offer(1, 2);
      h.offer(1, 3);
      REQUIRE(h.released.size() == 2);
      CHECK(h.scheduler.held() == 1);
      auto next = h.scheduler.pump(h.clock.now(), h.sink);
      REQUIRE(next.has_value());
      CHECK(*next - h.clock.now() == 100ms); // the key's next token
      h.clock.advance(99ms);
      h.scheduler.pump(h.clock.now(), h.sink);
      CHECK(h.released.size() == 2);
      h.clock.advance(1ms);
      CHECK_FALSE(h.scheduler.pump(h.clock.now(), h.sink).has_value());
      REQUIRE(h.released.size() == 3);
      CHECK(h.released[2].tag == 3);
      CHECK(h.scheduler.held() == 0);
    }
    SUBCASE("while anything waits, a new key's line queues behind it instead of jumping ahead") {
      Harness h(config(10, 1, 1000, 1000));
      h.offer(1, 1); // takes the only global token
      h.offer(2, 2); // held for the global bucket
      h.offer(3, 3); // would be admitted by its own bucket, but 2 waits: held
      CHECK(h.scheduler.held() == 2);
      h.run_for(300ms);
      REQUIRE(h.released.size() == 3);
      CHECK(h.released[1].tag == 2);
      CHECK(h.released[2].tag == 3);
    }
  }

  TEST_CASE("m2g::limit::WaitScheduler::pump") {
    SUBCASE("lines of one key keep their order, and none is lost") {
      Harness h(config(300, 20, 40, 5));
      std::mt19937 random(3);
      std::map<int, std::vector<int64_t>> sent;
      int64_t tag = 0;
      for (int ms = 0; ms < 2000; ++ms) {
        for (int i = 0; i < 2; ++i) {
          int k = static_cast<int>(random() % 30);
          h.offer(k, tag);
          sent[k].push_back(tag++);
        }
        h.run_for(1ms);
      }
      h.run_for(60s);
      CHECK(h.scheduler.held() == 0);
      REQUIRE(h.released.size() == static_cast<size_t>(tag));
      std::map<int, std::vector<int64_t>> got;
      std::map<int64_t, int> key_of;
      for (const auto& [k, tags] : sent) {
        for (int64_t t : tags) {
          key_of[t] = k;
        }
      }
      for (const auto& r : h.released) {
        got[key_of[r.tag]].push_back(r.tag);
      }
      CHECK(got == sent);
    }
    SUBCASE("a flood from one key does not starve 1,000 others") {
      // The global bucket (1,000/s) is the bottleneck; each key alone could go faster.
      Harness h(config(1000, 10, 1000, 1000));
      for (int64_t i = 0; i < 10'000; ++i) {
        h.offer(0, i); // the flood, all at t = 0
      }
      h.run_for(1ms);
      TimePoint others_at = h.clock.now();
      for (int k = 1; k <= 1000; ++k) {
        h.offer(k, 100'000 + k);
      }
      h.run_for(15s);
      REQUIRE(h.released.size() == 11'000);
      auto worst = 0ns;
      for (const auto& r : h.released) {
        if (r.tag >= 100'000) {
          worst = std::max(worst, std::chrono::nanoseconds(r.at - others_at));
        }
      }
      // Served in turn, the 1,000 lines need about 1 s of the global rate; behind the flood
      // (first come, first served) they would have waited 10 s.
      CHECK(worst <= 1100ms);
    }
    SUBCASE("keys arriving steadily beside a flood are served in turn, and the flood is not starved either") {
      Harness h(config(1000, 10, 1000, 1000));
      for (int64_t i = 0; i < 100'000; ++i) {
        h.offer(0, i);
      }
      std::map<int64_t, TimePoint> sent_at;
      int64_t tag = 1'000'000;
      for (int ms = 0; ms < 10'000; ++ms) {
        // 500 lines/s from 1,000 other keys, one line each every 2 s.
        if (ms % 2 == 0) {
          sent_at[tag] = h.clock.now();
          h.offer(1 + (ms / 2) % 1000, tag++);
        }
        h.run_for(1ms);
      }
      auto worst = 0ns;
      size_t flood = 0;
      size_t others = 0;
      for (const auto& r : h.released) {
        if (r.tag >= 1'000'000) {
          worst = std::max(worst, std::chrono::nanoseconds(r.at - sent_at[r.tag]));
          ++others;
        } else {
          ++flood;
        }
      }
      CHECK(others >= sent_at.size() - 5); // all but the last few milliseconds' lines
      CHECK(worst <= 50ms);
      CHECK(flood >= 4500); // the flood gets the rest: ~500/s of the 1,000/s
    }
    SUBCASE("in wait mode the achieved rate is within 1% of the configured one") {
      Harness h(config(5000, 5000, 1e6, 1e6));
      for (int64_t i = 0; i < 200'000; ++i) {
        h.offer(static_cast<int>(i % 100), i);
      }
      CHECK(h.released.size() == 5000); // the burst, at once
      std::mt19937 random(5);
      // Timers fire late by up to 3 ms; admissions must not lose the lateness.
      auto start = h.clock.now();
      while (h.clock.now() - start < 20s) {
        h.clock.advance(std::chrono::microseconds(200 + random() % 3000));
        h.scheduler.pump(h.clock.now(), h.sink);
      }
      double seconds = std::chrono::duration<double>(h.clock.now() - start).count();
      double rate = static_cast<double>(h.released.size() - 5000) / seconds;
      CHECK(rate >= 5000 * 0.99);
      CHECK(rate <= 5000 * 1.01);
    }
  }

  TEST_CASE("m2g::limit::WaitScheduler::retime") {
    Harness h(config(1000, 1000, 0.1, 1));
    h.offer(1, 1);
    h.offer(1, 2);
    h.offer(2, 3);
    h.offer(2, 4);
    CHECK(h.scheduler.held() == 3); // key 2's first line queues behind key 1's waiting line
    auto next = h.scheduler.pump(h.clock.now(), h.sink);
    CHECK(h.released.size() == 2);
    REQUIRE(next.has_value());
    CHECK(*next - h.clock.now() == 10s);
    // Key 1 becomes premium: its held line may go now, key 2 still waits.
    h.limiter.set_tiers({{"1", 1000, 10}}, h.clock.now());
    h.scheduler.retime(h.clock.now());
    next = h.scheduler.pump(h.clock.now(), h.sink);
    REQUIRE(h.released.size() == 3);
    CHECK(h.released[2].tag == 2);
    REQUIRE(next.has_value());
    CHECK(*next - h.clock.now() == 10s);
  }

  TEST_CASE("m2g::limit::WaitScheduler::release_all") {
    Harness h(config(1, 1, 1, 1));
    for (int64_t i = 0; i < 30; ++i) {
      h.offer(static_cast<int>(i % 3), i);
    }
    CHECK(h.released.size() == 1);
    CHECK(h.scheduler.release_all(h.sink) == 29);
    CHECK(h.scheduler.held() == 0);
    CHECK(h.scheduler.waiting_keys() == 0);
    REQUIRE(h.released.size() == 30);
    std::map<int64_t, int64_t> last; // key → last tag seen
    for (const auto& r : h.released) {
      int64_t k = r.tag % 3;
      if (last.count(k)) {
        CHECK(r.tag > last[k]);
      }
      last[k] = r.tag;
    }
    CHECK_FALSE(h.scheduler.pump(h.clock.now(), h.sink).has_value());
  }
}
