#include "common/llm/breaker.hpp"

#include <doctest/doctest.h>

using namespace m2g;
using namespace std::chrono_literals;
using State = llm::CircuitBreaker::State;

TEST_SUITE("llm") {
  TEST_CASE("m2g::llm::CircuitBreaker") {
    ManualClock clock;
    llm::CircuitBreaker breaker(clock, {3, 10s});
    SUBCASE("failures below the threshold keep it closed; a success restarts the count") {
      breaker.record_failure();
      breaker.record_failure();
      CHECK(breaker.state() == State::closed);
      CHECK(breaker.allow());
      breaker.record_success();
      breaker.record_failure();
      breaker.record_failure();
      CHECK(breaker.state() == State::closed);
      CHECK(breaker.consecutive_failures() == 2);
    }
    SUBCASE("the threshold opens it; nothing passes until the cooldown is over") {
      for (int i = 0; i < 3; ++i) {
        breaker.record_failure();
      }
      CHECK(breaker.state() == State::open);
      CHECK(breaker.openings() == 1);
      CHECK_FALSE(breaker.allow());
      clock.advance(9999ms);
      CHECK_FALSE(breaker.allow());
      // Late failures of requests sent before it opened do not extend the cooldown.
      breaker.record_failure();
      clock.advance(1ms);
      CHECK(breaker.allow()); // the probe
      CHECK(breaker.state() == State::half_open);
      CHECK_FALSE(breaker.allow()); // only one probe at a time
      SUBCASE("a successful probe closes it") {
        breaker.record_success();
        CHECK(breaker.state() == State::closed);
        CHECK(breaker.allow());
        CHECK(breaker.allow());
      }
      SUBCASE("a failed probe opens it for another cooldown") {
        breaker.record_failure();
        CHECK(breaker.state() == State::open);
        CHECK(breaker.openings() == 2);
        CHECK_FALSE(breaker.allow());
        clock.advance(10s);
        CHECK(breaker.allow());
        CHECK(breaker.state() == State::half_open);
      }
    }
    SUBCASE("a threshold of 0 never opens") {
      llm::CircuitBreaker never(clock, {0, 10s});
      for (int i = 0; i < 1000; ++i) {
        never.record_failure();
      }
      CHECK(never.state() == State::closed);
      CHECK(never.allow());
    }
  }
}
