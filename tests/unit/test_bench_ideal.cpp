#include "common/bench/ideal.hpp"
#include "common/bench/scenario.hpp"

#include <doctest/doctest.h>

using namespace m2g::bench;

TEST_SUITE("bench") {
  TEST_CASE("m2g::bench::bucket_drain_s") {
    CHECK(bucket_drain_s(10'000, 5'000, 5'000) == doctest::Approx(1.0));
    CHECK(bucket_drain_s(4'000, 5'000, 5'000) == 0);
    CHECK(bucket_drain_s(100, 30, 30) == doctest::Approx(70.0 / 30));
    CHECK(bucket_drain_s(100, 0, 1) == 0); // unlimited
  }

  TEST_CASE("m2g::bench::ideal_times") {
    SUBCASE("realistic-10k: (10000 - 5000) / 5000 + 5 + 2 = 8.0 s") {
      auto family = find_family("realistic-10k");
      REQUIRE(family);
      Ideal ideal = ideal_times(family->runs[0].ideal_inputs(1000, 4));
      CHECK(ideal.admission_s == doctest::Approx(1.0));
      CHECK(ideal.total_s == doctest::Approx(8.0));
      CHECK(ideal.bound == "admission");
      // 10,000 final edits at Telegram's 30/s free tier.
      CHECK(ideal.confirm_s == doctest::Approx((10'000.0 - 30) / 30));
    }
    SUBCASE("a heavy user is held by the per-user limit") {
      IdealInputs in;
      in.messages = 100;
      in.users = 1;
      in.llm_s = 1;
      in.commit_s = 1;
      in.repos = 100;
      Ideal ideal = ideal_times(in);
      CHECK(ideal.admission_s == doctest::Approx(70.0 / 30));
      CHECK(ideal.total_s == doctest::Approx(70.0 / 30 + 2));
    }
    SUBCASE("one repository commits serially: ceil(n / batch_max) commits") {
      IdealInputs in;
      in.messages = 10'000;
      in.users = 10'000;
      in.llm_s = 5;
      in.commit_s = 2;
      in.repos = 1;
      in.batch_max = 100;
      in.writes_per_minute = 0;
      Ideal ideal = ideal_times(in);
      CHECK(ideal.total_s == doctest::Approx(5 + 100 * 2.0));
      CHECK(ideal.bound == "commits");
    }
    SUBCASE("GitHub's 80 writes a minute bound a shared repository") {
      IdealInputs in;
      in.messages = 10'000;
      in.users = 100;
      in.llm_s = 5;
      in.commit_s = 2;
      in.repos = 1;
      in.batch_max = 100; // 100 commits, 400 writes
      in.writes_per_commit = 4;
      in.writes_per_minute = 80;
      in.writes_burst = 5;
      Ideal ideal = ideal_times(in);
      CHECK(ideal.total_s == doctest::Approx(5 + (400.0 - 5) / (80.0 / 60)));
      CHECK(ideal.bound == "writes");
    }
    SUBCASE("interactive: the last click waits for the last keyboard") {
      IdealInputs in;
      in.messages = 10'000;
      in.users = 10'000;
      in.llm_s = 5;
      in.commit_s = 2;
      in.repos = 10'000;
      in.interactive = true;
      in.telegram_rate = 1000;
      in.telegram_burst = 1000;
      Ideal ideal = ideal_times(in);
      CHECK(ideal.keyboards_s == doctest::Approx(9.0));
      CHECK(ideal.total_s == doctest::Approx(16.0));
      CHECK(ideal.bound == "keyboards");
      CHECK(ideal.confirm_s == doctest::Approx(19.0)); // 20,000 calls at 1,000/s, burst 1,000
    }
    SUBCASE("no messages, no time") {
      CHECK(ideal_times(IdealInputs{}).total_s == 0);
    }
  }
}
