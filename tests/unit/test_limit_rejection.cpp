#include "tests/unit/scratch.hpp"

#include "common/limit/rejection.hpp"

#include <doctest/doctest.h>
#include <fstream>
#include <sstream>

using namespace m2g;
using namespace m2g::limit;

namespace {
jsonl::Line decoded(const std::string& raw) {
  return jsonl::decode(raw, 3).take_or_throw();
}
} // namespace

TEST_SUITE("limit") {
  TEST_CASE("m2g::limit::make_rejection") {
    std::string raw = R"({"v":1,"kind":"job","id":"5:9","chat_id":5,"user_id":42,"message_id":9,"t0":1000,)"
                      R"("qid":"inbox:3","text":"hello","status_message_id":11})";
    SUBCASE("a per-key refusal carries the shared fields, the key, the wait and the line") {
      jsonl::Line line = decoded(raw);
      KeyPath path("user_id");
      RefusalInfo info{"user_id", path.find(line.raw()), Verdict{false, BucketKind::key, 1'500'000'001}, 30, 30};
      auto out = jsonl::json::parse(make_rejection(line, info));
      CHECK(out["v"] == 1);
      CHECK(out["kind"] == "rejection");
      for (const char* field : {"id", "chat_id", "user_id", "message_id", "t0", "qid", "status_message_id"}) {
        CHECK(out[field] == jsonl::json::parse(raw)[field]);
      }
      CHECK(out.contains("ts"));
      CHECK(out["bucket"] == "key");
      CHECK(out["key"] == 42);              // a number stays a number
      CHECK(out["retry_after_ms"] == 1501); // rounded up: retrying at once would fail
      CHECK(out["reason"] == "over the limit of 30/s (burst 30) for user_id 42");
      CHECK(out["line"] == jsonl::json::parse(raw));
      CHECK_FALSE(out.contains("text"));
    }
    SUBCASE("a global refusal, a string key, a missing key") {
      jsonl::Line line = decoded(R"({"v":1,"kind":"job","id":"x","from":{"id":"al\"ice"}})");
      KeyPath path("from.id");
      RefusalInfo info{"from.id", path.find(line.raw()), Verdict{false, BucketKind::global, 10}, 5000, 2500.5};
      auto out = jsonl::json::parse(make_rejection(line, info));
      CHECK(out["bucket"] == "global");
      CHECK(out["key"] == "al\"ice");
      CHECK(out["retry_after_ms"] == 1);
      CHECK(out["reason"] == "over the global limit of 5000/s (burst 2500.5)");
      jsonl::Line keyless = decoded(R"({"v":1,"kind":"job","id":"y"})");
      RefusalInfo none{"user_id", KeyValue{}, Verdict{false, BucketKind::key, 2'000'000}, 1, 1};
      auto out2 = jsonl::json::parse(make_rejection(keyless, none));
      CHECK(out2["key"].is_null());
      CHECK(out2["reason"] == "over the limit of 1/s (burst 1) for lines without user_id");
    }
  }

  TEST_CASE("m2g::limit::RefusalCopy") {
    std::string dir = test::fresh_dir("refusal");
    {
      std::ofstream(dir + "/rej.txt") << "earlier\n";
      RefusalCopy copy(dir + "/rej.txt");
      CHECK(copy.enabled());
      CHECK(copy.add("one"));
      CHECK_FALSE(copy.add("two"));
      copy.flush();
      CHECK(copy.add("three")); // flushed on destruction
    }
    std::ifstream in(dir + "/rej.txt");
    std::stringstream text;
    text << in.rdbuf();
    CHECK(text.str() == "earlier\none\ntwo\nthree\n");
    CHECK_FALSE(RefusalCopy("").enabled());
    CHECK_THROWS_AS(RefusalCopy(dir + "/no/such/dir/rej.txt"), Error);
  }
}
