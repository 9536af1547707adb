#include "common/limit/limiter.hpp"

#include <deque>
#include <doctest/doctest.h>

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
} // namespace

TEST_SUITE("limit") {
  TEST_CASE("m2g::limit::Limiter::decide") {
    ManualClock clock;
    SUBCASE("a key gets its burst, then is refused by its own bucket with the time to wait") {
      Limiter limiter(config(1000, 1000, 10, 3), clock.now(), 1);
      uint64_t alice = limiter.hasher()("alice");
      for (int i = 0; i < 3; ++i) {
        CHECK(limiter.decide(alice, clock.now()).admitted);
      }
      Verdict refused = limiter.decide(alice, clock.now());
      CHECK_FALSE(refused.admitted);
      CHECK(refused.bucket == BucketKind::key);
      CHECK(refused.retry_after_ns == 100'000'000);
      // Another key is not affected.
      CHECK(limiter.decide(limiter.hasher()("bob"), clock.now()).admitted);
      clock.advance(100ms);
      CHECK(limiter.decide(alice, clock.now()).admitted);
    }
    SUBCASE("the global bucket refuses when all keys together go over it") {
      Limiter limiter(config(10, 5, 100, 100), clock.now(), 1);
      for (int i = 0; i < 5; ++i) {
        CHECK(limiter.decide(limiter.hasher()(std::to_string(i)), clock.now()).admitted);
      }
      Verdict refused = limiter.decide(limiter.hasher()("fresh"), clock.now());
      CHECK_FALSE(refused.admitted);
      CHECK(refused.bucket == BucketKind::global);
      CHECK(refused.retry_after_ns == 100'000'000);
    }
    SUBCASE("a refused line costs nothing in either bucket") {
      Limiter limiter(config(10, 2, 1, 1), clock.now(), 1);
      uint64_t a = limiter.hasher()("a");
      uint64_t b = limiter.hasher()("b");
      CHECK(limiter.decide(a, clock.now()).admitted);
      for (int i = 0; i < 100; ++i) {
        CHECK(limiter.decide(a, clock.now()).bucket == BucketKind::key); // must not drain the global bucket
      }
      CHECK(limiter.decide(b, clock.now()).admitted);
      Verdict global = limiter.decide(limiter.hasher()("c"), clock.now());
      CHECK(global.bucket == BucketKind::global);
      CHECK(global.retry_after_ns == 100'000'000);
      clock.advance(100ms);
      // One global token came back: b's own bucket is still empty (1/s), a fresh key gets it.
      CHECK(limiter.decide(b, clock.now()).bucket == BucketKind::key);
      CHECK(limiter.decide(limiter.hasher()("c"), clock.now()).admitted);
      CHECK(limiter.decide(limiter.hasher()("d"), clock.now()).bucket == BucketKind::global);
    }
    SUBCASE("lines without the key share one bucket") {
      Limiter limiter(config(1000, 1000, 1, 2), clock.now(), 1);
      CHECK(limiter.decide(k_no_key_hash, clock.now()).admitted);
      CHECK(limiter.decide(k_no_key_hash, clock.now()).admitted);
      CHECK(limiter.decide(k_no_key_hash, clock.now()).bucket == BucketKind::key);
    }
    SUBCASE("tiers give a key its own rate and burst; a reload keeps the tokens spent") {
      Limiter limiter(config(1000, 1000, 1, 1), clock.now(), 1);
      limiter.set_tiers({{"vip", 100, 5}}, clock.now());
      uint64_t vip = limiter.hasher()("vip");
      uint64_t plain = limiter.hasher()("plain");
      CHECK(limiter.key_limits(vip) == std::pair<double, double>(100, 5));
      CHECK(limiter.key_limits(plain) == std::pair<double, double>(1, 1));
      int admitted = 0;
      while (limiter.decide(vip, clock.now()).admitted) {
        ++admitted;
      }
      CHECK(admitted == 5);
      CHECK(limiter.decide(vip, clock.now()).retry_after_ns == 10'000'000);
      clock.advance(10ms); // one token back: 4 spent
      CHECK(limiter.decide(vip, clock.now()).admitted);
      limiter.set_tiers({}, clock.now());
      CHECK(limiter.tier_count() == 0);
      // Back to 1/s, burst 1: 5 tokens spent, capped at the new burst of 1: a full second's wait.
      CHECK(limiter.decide(vip, clock.now()).retry_after_ns == 1'000'000'000);
      // And up again: 1 token spent at 1/s is 1 token at 100/s, with 4 more to go.
      limiter.set_tiers({{"vip", 100, 5}}, clock.now());
      for (int i = 0; i < 4; ++i) {
        CHECK(limiter.decide(vip, clock.now()).admitted);
      }
      CHECK_FALSE(limiter.decide(vip, clock.now()).admitted);
      CHECK(limiter.decide(plain, clock.now()).admitted); // untouched by either reload
    }
  }

  TEST_CASE("m2g::limit::Limiter accuracy") {
    ManualClock clock;
    SUBCASE("over any 10 s window at 5,000/s with burst 5,000, admissions stay within rate x time + burst") {
      Limiter limiter(config(5000, 5000, 1e9, 1e9), clock.now(), 1);
      // Demand of 8,000/s for 30 s, from 1,000 keys, in steps of 1 ms.
      std::deque<int64_t> window; // admission times (ns) in the last 10 s
      size_t worst = 0;
      int64_t total = 0;
      for (int ms = 0; ms < 30'000; ++ms) {
        for (int i = 0; i < 8; ++i) {
          if (limiter.decide(static_cast<uint64_t>(2 + (ms * 8 + i) % 1000), clock.now()).admitted) {
            window.push_back(rate::to_ns(clock.now()));
            ++total;
          }
        }
        int64_t now_ns = rate::to_ns(clock.now());
        while (!window.empty() && window.front() <= now_ns - 10'000'000'000) {
          window.pop_front();
        }
        worst = std::max(worst, window.size());
        clock.advance(1ms);
      }
      CHECK(worst <= 5000 * 10 + 5000);
      CHECK(worst >= 5000 * 10); // and the limiter does admit at the rate
      CHECK(total >= 5000 * 30);
      CHECK(total <= 5000 * 30 + 5000);
    }
    SUBCASE("a rate that is not a whole number of nanoseconds per token is never exceeded") {
      Limiter limiter(config(7, 1, 1e9, 1e9), clock.now(), 1);
      int admitted = 0;
      for (int ms = 0; ms < 100'000; ++ms) {
        admitted += limiter.decide(2, clock.now()).admitted ? 1 : 0;
        clock.advance(1ms);
      }
      CHECK(admitted <= 7 * 100 + 1);
      CHECK(admitted >= 7 * 100 - 7); // 1 ms steps lose at most one token's phase per second
    }
  }
}
