#include "common/core/backoff.hpp"
#include "common/rate/token_bucket.hpp"

#include <doctest/doctest.h>

using namespace m2g;
using namespace std::chrono_literals;

TEST_SUITE("rate") {
  TEST_CASE("m2g::rate::TokenBucket::try_take") {
    ManualClock clock;
    rate::TokenBucket bucket(10, 3, clock.now()); // 10/s, burst 3
    SUBCASE("a full bucket gives its burst at once, then one per 100 ms") {
      CHECK(bucket.try_take(clock.now()));
      CHECK(bucket.try_take(clock.now()));
      CHECK(bucket.try_take(clock.now()));
      std::chrono::nanoseconds wait{};
      CHECK_FALSE(bucket.try_take(clock.now(), &wait));
      CHECK(wait == 100ms);
      clock.advance(99ms);
      CHECK_FALSE(bucket.try_take(clock.now()));
      clock.advance(1ms);
      CHECK(bucket.try_take(clock.now()));
    }
    SUBCASE("admissions over a window stay within rate x time + burst") {
      int admitted = 0;
      for (int ms = 0; ms < 10'000; ++ms) {
        for (int i = 0; i < 5; ++i) {
          admitted += bucket.try_take(clock.now()) ? 1 : 0;
        }
        clock.advance(1ms);
      }
      CHECK(admitted <= 10 * 10 + 3);
      CHECK(admitted >= 10 * 10);
    }
    SUBCASE("an idle bucket refills to its burst, no more") {
      clock.advance(1h);
      CHECK(bucket.full(clock.now()));
      int admitted = 0;
      while (bucket.try_take(clock.now())) {
        ++admitted;
      }
      CHECK(admitted == 3);
    }
    SUBCASE("reconfigure keeps what was spent") {
      CHECK(bucket.try_take(clock.now()));
      CHECK(bucket.try_take(clock.now()));
      CHECK(bucket.try_take(clock.now()));
      bucket.reconfigure(1000, 1000, clock.now());
      CHECK(bucket.try_take(clock.now()));
    }
  }

  TEST_CASE("m2g::rate::BucketShape::of") {
    SUBCASE("a whole number of nanoseconds per token") {
      auto shape = rate::BucketShape::of(5000, 5000);
      CHECK(shape.ns_per_token == 200'000);
      CHECK(shape.capacity_ns == 1'000'000'000);
    }
    SUBCASE("the cost of a token is rounded up, so the rate is never exceeded") {
      auto shape = rate::BucketShape::of(3, 3);
      CHECK(shape.ns_per_token == 333'333'334);
      int64_t full_at = rate::k_always_full;
      int admitted = 0;
      for (int64_t now = 0; now <= 10'000'000'000; now += 1'000'000) {
        while (rate::try_take(shape, full_at, now)) {
          ++admitted;
        }
      }
      CHECK(admitted <= 3 * 10 + 3);
      CHECK(admitted >= 3 * 10 + 3 - 1);
    }
    SUBCASE("a full bucket gives exactly its burst at once") {
      for (double rate : {1.0, 7.0, 30.0, 333.0, 5000.0, 1e6}) {
        for (double burst : {1.0, 3.0, 30.0, 1000.0}) {
          auto shape = rate::BucketShape::of(rate, burst);
          int64_t full_at = rate::k_always_full;
          int admitted = 0;
          while (rate::try_take(shape, full_at, 5'000'000'000)) {
            ++admitted;
          }
          CHECK(admitted == static_cast<int>(burst));
        }
      }
    }
    SUBCASE("time_to_token agrees with try_take") {
      auto shape = rate::BucketShape::of(10, 2);
      int64_t full_at = rate::k_always_full;
      CHECK(rate::time_to_token(shape, full_at, 0) == 0);
      CHECK(rate::try_take(shape, full_at, 0));
      CHECK(rate::try_take(shape, full_at, 0));
      int64_t wait = 0;
      CHECK_FALSE(rate::try_take(shape, full_at, 0, &wait));
      CHECK(wait == 100'000'000);
      CHECK(rate::time_to_token(shape, full_at, 0) == wait);
      CHECK(rate::time_to_token(shape, full_at, 30'000'000) == 70'000'000);
    }
  }

  TEST_CASE("m2g::Backoff::next_delay") {
    Backoff backoff({Millis(100), Millis(1000), 4}, 42);
    auto d1 = backoff.next_delay();
    CHECK(d1 >= Millis(50));
    CHECK(d1 <= Millis(100));
    auto d2 = backoff.next_delay();
    CHECK(d2 >= Millis(100));
    CHECK(d2 <= Millis(200));
    CHECK(backoff.can_retry());
    backoff.next_delay();
    CHECK_FALSE(backoff.can_retry()); // 4 attempts: 3 failures used the retries up
    for (int i = 0; i < 10; ++i) {
      CHECK(backoff.next_delay() <= Millis(1000));
    }
  }
}
