#include "common/fake/llm_spec.hpp"

#include <doctest/doctest.h>
#include <map>

using namespace m2g;
using namespace std::chrono_literals;

TEST_SUITE("fake") {
  TEST_CASE("m2g::fake::parse_latency") {
    SUBCASE("a fixed delay in any unit, sub-millisecond included") {
      CHECK(fake::parse_latency("5s")->a == 5s);
      CHECK(fake::parse_latency("150us")->a == 150us);
      CHECK(fake::parse_latency("150µs")->a == 150us);
      CHECK(fake::parse_latency("2.5ms")->a == 2500us);
      CHECK(fake::parse_latency("20")->a == 20ms);
      CHECK(fake::parse_latency("0")->a == 0us);
    }
    SUBCASE("a uniform range stays within its bounds") {
      auto latency = fake::parse_latency("100ms..2s");
      REQUIRE(latency.ok());
      CHECK(latency->shape == fake::Latency::Shape::uniform);
      std::mt19937_64 rng(1);
      fake::Micros low = 10s, high = 0s;
      for (int i = 0; i < 1000; ++i) {
        fake::Micros d = latency->sample(rng);
        low = std::min(low, d);
        high = std::max(high, d);
      }
      CHECK(low >= 100ms);
      CHECK(high <= 2s);
      CHECK(high - low > 1500ms); // it does spread
    }
    SUBCASE("a normal distribution centres on its mean and never goes negative") {
      auto latency = fake::parse_latency("normal:1s,200ms");
      REQUIRE(latency.ok());
      std::mt19937_64 rng(2);
      double sum = 0;
      for (int i = 0; i < 2000; ++i) {
        fake::Micros d = latency->sample(rng);
        CHECK(d >= 0us);
        sum += static_cast<double>(d.count());
      }
      CHECK(sum / 2000 == doctest::Approx(1e6).epsilon(0.05));
      auto wide = fake::parse_latency("normal:10ms,1s");
      for (int i = 0; i < 100; ++i) {
        CHECK(wide->sample(rng) >= 0us);
      }
    }
    SUBCASE("bad specs are usage errors") {
      CHECK_FALSE(fake::parse_latency("fast").ok());
      CHECK_FALSE(fake::parse_latency("-5s").ok());
      CHECK_FALSE(fake::parse_latency("2s..1s").ok());
      CHECK_FALSE(fake::parse_latency("normal:1s").ok());
      CHECK(fake::parse_latency("5x").failure().exit_code == 64);
    }
  }

  TEST_CASE("m2g::fake::parse_faults") {
    SUBCASE("the rates pick faults in proportion") {
      auto mix = fake::parse_faults("429=0.1,500=0.05,hang=0.01,garbage=0.02,fence=0.1");
      REQUIRE(mix.ok());
      std::mt19937_64 rng(3);
      std::map<fake::Fault, int> seen;
      for (int i = 0; i < 100'000; ++i) {
        ++seen[mix->pick(rng)];
      }
      CHECK(seen[fake::Fault::rate_limit] == doctest::Approx(10'000).epsilon(0.05));
      CHECK(seen[fake::Fault::server_error] == doctest::Approx(5'000).epsilon(0.06));
      CHECK(seen[fake::Fault::hang] == doctest::Approx(1'000).epsilon(0.15));
      CHECK(seen[fake::Fault::fence] == doctest::Approx(10'000).epsilon(0.05));
      CHECK(seen[fake::Fault::none] == doctest::Approx(72'000).epsilon(0.02));
      CHECK(seen[fake::Fault::quota] == 0);
    }
    SUBCASE("every named fault parses") {
      for (const char* name : {"429", "quota", "500", "503", "hang", "drop", "garbage", "fence", "empty"}) {
        auto mix = fake::parse_faults(std::string(name) + "=1");
        REQUIRE(mix.ok());
        std::mt19937_64 rng(4);
        CHECK(std::string(fake::fault_name(mix->pick(rng))) == name);
      }
    }
    SUBCASE("unknown names, bad rates and sums over 1 are refused") {
      CHECK_FALSE(fake::parse_faults("404=0.1").ok());
      CHECK_FALSE(fake::parse_faults("429").ok());
      CHECK_FALSE(fake::parse_faults("429=1.5").ok());
      CHECK_FALSE(fake::parse_faults("429=0.6,500=0.6").ok());
      CHECK(fake::parse_faults("").ok());
    }
  }

  TEST_CASE("m2g::fake::fake_title") {
    SUBCASE("first words, capitalized, with a word tag and a hash tag") {
      auto title = fake::fake_title("buy milk and eggs before the shop closes tonight");
      CHECK(title.title == "Buy milk and eggs before the");
      REQUIRE(title.hashtags.size() == 2);
      CHECK(title.hashtags[0] == "#buy");
      CHECK(title.hashtags[1].substr(0, 2) == "#t");
    }
    SUBCASE("deterministic, and different notes get different hash tags") {
      CHECK(fake::fake_title("note 1").hashtags == fake::fake_title("note 1").hashtags);
      CHECK(fake::fake_title("note 1").hashtags != fake::fake_title("note 2").hashtags);
    }
    SUBCASE("a note in another script keeps its script") {
      auto title = fake::fake_title("東京で寿司を食べた");
      CHECK(title.title == "東京で寿司を食べた");
      CHECK(title.hashtags.size() == 1);
    }
    SUBCASE("an empty note still gets a title") {
      CHECK(fake::fake_title("").title == "Untitled note");
    }
  }
}
