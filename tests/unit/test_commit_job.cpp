#include "common/commit/job.hpp"

#include <doctest/doctest.h>

using namespace m2g;
using namespace m2g::commit;

TEST_SUITE("commit job") {
  TEST_CASE("m2g::commit::Job::derive is jsonl::derive of the job line") {
    // The job keeps these fields, not the parsed line: what it derives must not change.
    nlohmann::json line = {{"v", 1},
                           {"kind", "job"},
                           {"id", "7:3"},
                           {"chat_id", 7},
                           {"message_id", 3},
                           {"user_id", 9},
                           {"t0", 123},
                           {"qid", "commit:5"},
                           {"target", "inbox"},
                           {"repo", {{"url", "https://github.com/o/r"}}},
                           {"text", "hello"},
                           {"usage", {{"prompt_tokens", 1}}},
                           {"ts", 1}};
    auto job = parse_job(line, 1732531200);
    REQUIRE_MESSAGE(job.ok(), job.error());
    nlohmann::json derived = job.value().derive(jsonl::Kind::result);
    nlohmann::json expected = jsonl::derive(line, jsonl::Kind::result);
    derived.erase("ts");
    expected.erase("ts");
    CHECK(derived == expected);
    CHECK(derived["kind"] == "result");
    CHECK_FALSE(derived.contains("usage"));
  }

  TEST_CASE("m2g::commit::Job copies own their photo") {
    nlohmann::json line = {{"v", 1},
                           {"kind", "job"},
                           {"id", "7:4"},
                           {"chat_id", 7},
                           {"message_id", 4},
                           {"target", "inbox"},
                           {"photo", {{"file_id", "F"}, {"file_unique_id", "U"}}}};
    auto parsed = parse_job(line, 1732531200);
    REQUIRE_MESSAGE(parsed.ok(), parsed.error());
    Job job = parsed.value();
    REQUIRE(job.photo);
    Job copy = job;
    copy.photo->bytes = "JPEG";
    CHECK(job.photo->bytes.empty());
    CHECK(copy.photo->file_unique_id == "U");
    CHECK_FALSE(job.issue);
  }

  TEST_CASE("m2g::commit::parse_job_number_range") {
    // Found by fuzz_commit_job (UBSan: 1.73e22 is outside the range of int64). A number no
    // int64 holds counts as absent: the date falls back to now, ids to 0.
    nlohmann::json line = {{"v", 1},          {"kind", "job"},     {"id", "7:3"},    {"chat_id", 7},
                           {"message_id", 3}, {"target", "inbox"}, {"text", "hello"}};
    for (const nlohmann::json& date :
         {nlohmann::json(1.73e22), nlohmann::json(-1e300), nlohmann::json(uint64_t{18'000'000'000'000'000'000u})}) {
      line["date"] = date;
      auto job = parse_job(line, 1732531200);
      REQUIRE_MESSAGE(job.ok(), job.error());
      CHECK(job.value().date == 1732531200);
    }
    line["date"] = 1732531300.5;
    CHECK(parse_job(line, 1732531200).value().date == 1732531300);
  }
}
