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
