#include "common/bench/scenario.hpp"

#include <doctest/doctest.h>
#include <set>

using namespace m2g::bench;

TEST_SUITE("bench") {
  TEST_CASE("m2g::bench::families") {
    std::set<std::string> names;
    for (const auto& family : families()) {
      names.insert(family.name);
      CHECK_FALSE(family.runs.empty());
      CHECK_FALSE(family.summary.empty());
    }
    for (const char* name : {"realistic-10k", "realistic-10k-interactive", "realistic-10k-photos", "inbox-flow",
                             "team-repo", "progress", "scaling"}) {
      CHECK(names.count(name) == 1);
    }
  }

  TEST_CASE("m2g::bench::find_family") {
    SUBCASE("realistic-10k as the reference report has it") {
      auto family = find_family("realistic-10k");
      REQUIRE(family);
      REQUIRE(family->runs.size() == 1);
      const Scenario& s = family->runs[0];
      CHECK(s.messages == 10'000);
      CHECK(s.users == 10'000);
      CHECK(s.llm_s == 5);
      CHECK(s.commit_s == 2);
      CHECK(s.limit_rate == 5000);
      CHECK(s.limit_burst == 5000);
      CHECK(s.user_rate == 30);
      CHECK(s.repos == RepoModel::per_chat);
      CHECK(s.repo_count() == 10'000);
      CHECK_FALSE(s.interactive);
    }
    SUBCASE("inbox-flow runs 1K, 5K and 10K users; --users makes it one run") {
      auto family = find_family("inbox-flow");
      REQUIRE(family);
      REQUIRE(family->runs.size() == 3);
      CHECK(family->runs[0].users == 1'000);
      CHECK(family->runs[2].users == 10'000);
      CHECK(family->runs[0].llm_s == doctest::Approx(150e-6));
      Overrides small;
      small.users = 20;
      small.messages = 50;
      auto tiny = find_family("inbox-flow", small);
      REQUIRE(tiny);
      REQUIRE(tiny->runs.size() == 1);
      CHECK(tiny->runs[0].users == 20);
      CHECK(tiny->runs[0].messages == 50);
    }
    SUBCASE("progress keeps its two runs under overrides") {
      Overrides small;
      small.messages = 10;
      auto family = find_family("progress", small);
      REQUIRE(family);
      REQUIRE(family->runs.size() == 2);
      CHECK_FALSE(family->runs[0].progress);
      CHECK(family->runs[1].progress);
      CHECK(family->runs[1].messages == 10);
      CHECK(family->runs[1].users == 10); // never more users than messages
    }
    SUBCASE("scaling sends one message per user") {
      Overrides small;
      small.users = 7;
      auto family = find_family("scaling", small);
      REQUIRE(family);
      REQUIRE(family->runs.size() == 1);
      CHECK(family->runs[0].messages == 7);
    }
    SUBCASE("team-repo goes to one repository") {
      auto family = find_family("team-repo");
      REQUIRE(family);
      CHECK(family->runs[0].repo_count() == 1);
      CHECK(family->runs[0].writes_per_minute == 80);
    }
    SUBCASE("--telegram-rate reaches every run") {
      Overrides paid;
      paid.telegram_rate = 1000;
      auto family = find_family("scaling", paid);
      REQUIRE(family);
      for (const auto& run : family->runs) {
        CHECK(run.telegram_rate == 1000);
      }
    }
    SUBCASE("an unknown name") {
      CHECK_FALSE(find_family("realistic-100k"));
    }
  }
}
