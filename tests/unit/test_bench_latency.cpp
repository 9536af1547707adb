#include "common/bench/latency.hpp"

#include <doctest/doctest.h>

using namespace m2g::bench;

TEST_SUITE("bench") {
  TEST_CASE("m2g::bench::LatencyRecorder::percentile") {
    LatencyRecorder rec;
    SUBCASE("no samples give 0") {
      CHECK(rec.percentile(50) == 0);
      CHECK(rec.mean() == 0);
    }
    SUBCASE("nearest rank over 1..100, added out of order") {
      for (int i = 100; i >= 1; --i) {
        rec.add(i);
      }
      CHECK(rec.percentile(50) == 50);
      CHECK(rec.percentile(99) == 99);
      CHECK(rec.percentile(99.5) == 100);
      CHECK(rec.percentile(100) == 100);
      CHECK(rec.percentile(0) == 1);
      CHECK(rec.percentile(1) == 1);
      CHECK(rec.mean() == doctest::Approx(50.5));
    }
    SUBCASE("a percentile is always a real sample, never an interpolation") {
      rec.add(1.0);
      rec.add(3.0);
      CHECK(rec.percentile(50) == 1.0);
      CHECK(rec.percentile(51) == 3.0);
    }
    SUBCASE("p99 of 10,000 samples where 100 are slow is the last fast one") {
      for (int i = 0; i < 9'900; ++i) {
        rec.add(0.5);
      }
      for (int i = 0; i < 100; ++i) {
        rec.add(9.0);
      }
      CHECK(rec.percentile(99) == 0.5);
      CHECK(rec.percentile(99.01) == 9.0);
    }
    SUBCASE("negative latencies (clock skew) count as 0") {
      rec.add(-0.25);
      CHECK(rec.min() == 0);
    }
    SUBCASE("samples added after a percentile are still sorted in") {
      rec.add(5);
      CHECK(rec.max() == 5);
      rec.add(1);
      CHECK(rec.min() == 1);
      CHECK(rec.max() == 5);
    }
  }

  TEST_CASE("m2g::bench::LatencyRecorder::histogram") {
    LatencyRecorder rec;
    SUBCASE("counts add up and the maximum lands in the last bin") {
      for (int i = 0; i <= 10; ++i) {
        rec.add(i);
      }
      auto bins = rec.histogram(5);
      REQUIRE(bins.size() == 5);
      size_t total = 0;
      for (const auto& bin : bins) {
        total += bin.count;
        CHECK(bin.high > bin.low);
      }
      CHECK(total == 11);
      CHECK(bins.front().low == 0);
      CHECK(bins.back().high == 10);
      CHECK(bins.back().count == 3); // 8, 9, 10
    }
    SUBCASE("equal samples make one bin") {
      rec.add(2);
      rec.add(2);
      auto bins = rec.histogram(10);
      REQUIRE(bins.size() == 1);
      CHECK(bins[0].count == 2);
    }
    SUBCASE("no samples, no bins") {
      CHECK(rec.histogram(10).empty());
    }
  }
}
