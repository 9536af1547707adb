#include "common/bench/progress_bar.hpp"
#include "common/bench/report.hpp"

#include <doctest/doctest.h>

using namespace m2g::bench;

namespace {

RunFigures sample_run() {
  RunFigures run;
  run.scenario = find_family("realistic-10k")->runs[0];
  run.injected = 10'000;
  run.succeeded = 9'990;
  run.failed = 10;
  run.total_s = 8.5;
  run.confirm_s = 340.25;
  run.confirmed = 9'990;
  run.llm_calls = 10'000;
  run.commits = 9'990;
  run.pushes = 9'990;
  for (int i = 1; i <= 100; ++i) {
    run.end_to_end.add(7.0 + i / 100.0);
    run.confirm.add(100.0 + i);
  }
  run.stages = {{"m2g-route", 10.5, 0}, {"m2g-commit", 20.25, 0}, {"m2g-llm", 12.0, 75}};
  run.ideal = ideal_times(run.scenario.ideal_inputs(1000, 4));
  run.load_before = 1.5;
  run.load_after = 2.25;
  run.notes = {"a note"};
  return run;
}

} // namespace

TEST_SUITE("bench") {
  TEST_CASE("m2g::bench::group_digits") {
    CHECK(group_digits(0) == "0");
    CHECK(group_digits(999) == "999");
    CHECK(group_digits(1000) == "1,000");
    CHECK(group_digits(1234567) == "1,234,567");
    CHECK(group_digits(1234.56, 1) == "1,234.6");
    CHECK(group_digits(-12345) == "-12,345");
  }

  TEST_CASE("m2g::bench::to_json") {
    RunFigures run = sample_run();
    auto json = to_json(run);
    for (const char* field : {"messages", "total_s", "success_pct", "ideal_s", "efficiency", "commits", "peak_rss_mb",
                              "confirm_s", "p50_s", "p99_s", "users", "llm_calls", "pushes", "stages"}) {
      CHECK_MESSAGE(json.contains(field), field);
    }
    CHECK(json["messages"] == 10'000);
    CHECK(json["success_pct"].get<double>() == doctest::Approx(99.9));
    CHECK(json["ideal_s"].get<double>() == doctest::Approx(8.0));
    CHECK(json["efficiency"].get<double>() == doctest::Approx(8.0 / 8.5));
    CHECK(json["peak_rss_mb"].get<double>() == doctest::Approx(42.75));
    CHECK(json["p50_s"].get<double>() == doctest::Approx(7.5));
    CHECK(json["p99_s"].get<double>() == doctest::Approx(7.99));
    CHECK(json["confirm_s"].get<double>() == doctest::Approx(340.25));
    CHECK(json["stages"]["m2g-llm"]["exit_code"] == 75);
  }

  TEST_CASE("m2g::bench::format_table") {
    RunFigures run = sample_run();
    std::string table = format_table(run);
    SUBCASE("the figures a reader compares with the reference report") {
      CHECK(table.find("| Messages ") != std::string::npos);
      CHECK(table.find("10,000") != std::string::npos);
      CHECK(table.find("8.50 s") != std::string::npos);  // total
      CHECK(table.find("99.9 %") != std::string::npos);  // success
      CHECK(table.find("8.00 s") != std::string::npos);  // ideal
      CHECK(table.find("94.1 %") != std::string::npos);  // efficiency 8 / 8.5
      CHECK(table.find("340.2 s") != std::string::npos); // confirm, beside the total
      CHECK(table.find("42.8 MB") != std::string::npos); // RSS sum
      CHECK(table.find("exit 75") != std::string::npos); // a stage that failed is shown
    }
    SUBCASE("it says which figures are end to end, and Telegram's budget") {
      CHECK(table.find("end to end: first update injected → last result pushed") != std::string::npos);
      CHECK(table.find("30 messages/s per bot") != std::string::npos);
      CHECK(table.find("333") != std::string::npos);
      CHECK(table.find("reference bot: 8.70 s") != std::string::npos);
      CHECK(table.find("Load average: 1.50") != std::string::npos);
      CHECK(table.find("Note: a note") != std::string::npos);
    }
    SUBCASE("columns line up") {
      size_t first = table.find("| Messages");
      size_t second = table.find("| Users");
      REQUIRE(first != std::string::npos);
      REQUIRE(second != std::string::npos);
      CHECK(table.find(" | ", first) - first == table.find(" | ", second) - second);
    }
    SUBCASE("an unfinished confirmation is called so") {
      run.confirm_complete = false;
      run.confirmed = 5;
      CHECK(format_table(run).find("5 of 10,000 seen") != std::string::npos);
    }
    SUBCASE("without m2g-progress nobody is told") {
      run.scenario.progress = false;
      CHECK(format_table(run).find("nobody is told") != std::string::npos);
    }
  }

  TEST_CASE("m2g::bench::progress_line") {
    ProgressState state;
    state.total = 10'000;
    state.injected = 10'000;
    state.pushed = 5'000;
    state.confirmed = 1'234;
    state.elapsed_s = 4.25;
    std::string line = progress_line(state, 10);
    CHECK(line.rfind("[#####.....]", 0) == 0);
    CHECK(line.find("50%") != std::string::npos);
    CHECK(line.find("5,000/10,000 pushed") != std::string::npos);
    CHECK(line.find("1,234 confirmed") != std::string::npos);
    CHECK(line.find("4.2 s") != std::string::npos);
    state.pushed = 20'000; // more results than messages never overflows the bar
    CHECK(progress_line(state, 10).rfind("[##########]", 0) == 0);
  }
}
