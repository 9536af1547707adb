// The Titler against the fake LLM over loopback HTTP: each job is told of its first request
// once and of its title exactly once, failures that may heal are tried again before the
// fallback, and a drain ends the jobs that wait (for a slot or a retry) at once.
#include "tests/unit/http_test.hpp"

#include "common/fake/llm/server.hpp"
#include "common/http/plain_client.hpp"
#include "common/llm/titler.hpp"

#include <doctest/doctest.h>
#include <memory>
#include <string>
#include <vector>

using namespace m2g;
using m2g::test::run_until;

namespace {

// A job as a stage would hold it: its text, and what the Titler told it.
class TestJob final : public llm::Titler::Job {
public:
  explicit TestJob(std::string text) : m_text(std::move(text)) {}
  std::string title_text() override { return m_text; }
  std::string fallback_title() override { return "fallback of " + m_text; }
  void title_sent() override { ++sent; }
  void title_done(llm::TitleResult&& result) override { results.push_back(std::move(result)); }

  int sent = 0;
  std::vector<llm::TitleResult> results;

private:
  std::string m_text;
};

// The fake LLM, a client and a Titler on one loop.
struct Bench {
  explicit Bench(const std::string& faults = "", const std::string& latency = "0") {
    fake::llm::Config config;
    config.latency = latency_of(latency);
    if (!faults.empty()) {
      auto mix = fake::parse_faults(faults);
      REQUIRE(mix.ok());
      config.faults = mix.value();
    }
    server = std::make_unique<fake::llm::FakeLlm>(loop, config);
    REQUIRE(server->listen().ok());
    options.url = "http://127.0.0.1:" + std::to_string(server->port()) + "/v1/chat/completions";
    options.request.model = "fake";
    options.backoff = BackoffPolicy{Millis(1), Millis(2), 0};
  }
  static fake::Latency latency_of(const std::string& spec) {
    auto latency = fake::parse_latency(spec);
    REQUIRE(latency.ok());
    return latency.value();
  }
  llm::Titler& titler() {
    if (!m_titler) {
      m_titler = std::make_unique<llm::Titler>(loop, client, options);
    }
    return *m_titler;
  }

  event::Loop loop;
  std::unique_ptr<fake::llm::FakeLlm> server;
  http::PlainClient client{loop};
  llm::TitlerOptions options;

private:
  std::unique_ptr<llm::Titler> m_titler;
};

} // namespace

TEST_SUITE("llm") {
  TEST_CASE("m2g::llm::Titler::title") {
    SUBCASE("each job is told once that its request went out, and once of its title") {
      Bench bench;
      std::vector<std::unique_ptr<TestJob>> jobs;
      for (const char* text : {"buy oat milk", "call the plumber", "read the Rust book"}) {
        jobs.push_back(std::make_unique<TestJob>(text));
        bench.titler().title(*jobs.back());
        CHECK(jobs.back()->results.empty()); // never inside title()
      }
      REQUIRE(run_until(bench.loop, [&] { return bench.titler().active() == 0; }));
      for (const auto& job : jobs) {
        CHECK(job->sent == 1);
        REQUIRE(job->results.size() == 1);
        CHECK(job->results[0].from_model);
        CHECK(job->results[0].attempts == 1);
        CHECK(job->results[0].usage.has_value());
      }
      CHECK(jobs[0]->results[0].title == fake::fake_title("buy oat milk").title);
      CHECK(bench.titler().stats().titled == 3);
      CHECK(bench.titler().in_flight() == 0);
    }
    SUBCASE("a failure that may heal is tried again, then the job falls back") {
      Bench bench("500=1");
      bench.options.retries = 2;
      TestJob job("note");
      bench.titler().title(job);
      REQUIRE(run_until(bench.loop, [&] { return !job.results.empty(); }));
      CHECK(job.sent == 1);
      REQUIRE(job.results.size() == 1);
      CHECK_FALSE(job.results[0].from_model);
      CHECK(job.results[0].title == "fallback of note");
      CHECK(job.results[0].attempts == 3);
      CHECK(job.results[0].reason.find("HTTP 500") == 0);
      CHECK(bench.titler().stats().retries == 2);
    }
  }

  TEST_CASE("m2g::llm::Titler::cut_short") {
    SUBCASE("a job waiting for a slot falls back at once, the one on the wire gets its answer") {
      Bench bench("", "300ms");
      bench.options.max_inflight = 1;
      TestJob first("first note");
      TestJob second("second note");
      bench.titler().title(first);
      bench.titler().title(second);
      REQUIRE(run_until(bench.loop, [&] { return bench.titler().in_flight() == 1; }));
      bench.titler().cut_short();
      REQUIRE(second.results.size() == 1);
      CHECK(second.sent == 0);
      CHECK(second.results[0].reason == "draining");
      CHECK(second.results[0].title == "fallback of second note");
      CHECK(first.results.empty());
      REQUIRE(run_until(bench.loop, [&] { return !first.results.empty(); }));
      CHECK(first.results[0].from_model);
      TestJob late("late note"); // new jobs fall back too, never inside title()
      bench.titler().title(late);
      CHECK(late.results.empty());
      REQUIRE(run_until(bench.loop, [&] { return !late.results.empty(); }));
      CHECK(late.results[0].reason == "draining");
    }
    SUBCASE("a job waiting to try again falls back at once, with the reason of its last try") {
      Bench bench("503=1");
      bench.options.backoff = BackoffPolicy{Millis(60'000), Millis(60'000), 0};
      TestJob job("note");
      bench.titler().title(job);
      REQUIRE(run_until(bench.loop, [&] { return bench.titler().stats().retries == 1; }));
      CHECK(job.results.empty());
      bench.titler().cut_short();
      REQUIRE(job.results.size() == 1);
      CHECK(job.results[0].reason.find("draining after: HTTP 503") == 0);
      CHECK(bench.titler().active() == 0);
    }
  }
}
