#include "common/bench/observe.hpp"

#include <doctest/doctest.h>

using namespace m2g::bench;

TEST_SUITE("bench") {
  TEST_CASE("m2g::bench::ResultTally") {
    ResultTally tally;
    SUBCASE("results, errors and other lines") {
      tally.feed("{\"v\":1,\"kind\":\"progress\",\"id\":\"a\",\"chat_id\":1,\"message_id\":1}\n", 0.5);
      tally.feed("{\"v\":1,\"kind\":\"result\",\"id\":\"a\",\"chat_id\":1,\"message_id\":1,\"title_source\":\"llm\"}\n",
                 1.0);
      tally.feed("{\"v\":1,\"kind\":\"error\",\"id\":\"b\",\"chat_id\":2,\"message_id\":1,\"retryable\":true}\n", 2.0);
      CHECK(tally.succeeded() == 1);
      CHECK(tally.failed() == 1);
      CHECK(tally.llm_titles() == 1);
      CHECK(tally.lines() == 3);
      // The retried job succeeds later: the result replaces the error.
      tally.feed("{\"v\":1,\"kind\":\"result\",\"id\":\"b\",\"chat_id\":2,\"message_id\":1}\n", 3.0);
      CHECK(tally.succeeded() == 2);
      CHECK(tally.failed() == 0);
      CHECK(tally.last_result_s() == doctest::Approx(3.0));
      CHECK(tally.latencies().max() == doctest::Approx(3.0));
      CHECK(tally.llm_titles() == 1);
    }
    SUBCASE("a second result of the same message counts once") {
      tally.line("{\"kind\":\"result\",\"chat_id\":1,\"message_id\":7}", 1.0);
      tally.line("{\"kind\":\"result\",\"chat_id\":1,\"message_id\":7,\"duplicate\":true}", 2.0);
      tally.line("{\"kind\":\"result\",\"chat_id\":2,\"message_id\":7}", 2.5);
      CHECK(tally.succeeded() == 2);
      CHECK(tally.latencies().count() == 2);
      CHECK(tally.last_result_s() == doctest::Approx(2.5));
    }
    SUBCASE("fields read from the text: any order, nested look-alikes ignored, escaped keys") {
      tally.line(R"({"message_id":3,"x":{"kind":"error","chat_id":9},"chat_id":4,"kind":"result"})", 1.0);
      tally.line(R"({"kind":"result","chat_id":4,"message_id":3})", 1.5); // the same message
      tally.line(R"({"kind":"error","chat_id":5,"message_id":3,"note":"{\"kind\":\"result\"}"})", 2.0);
      tally.line(R"({"kind":"res\u0075lt","chat_id":6,"message_id":3,"title_source":"llm"})", 2.5);
      tally.line(R"({"kind":7,"chat_id":7,"message_id":3})", 3.0);
      tally.line(R"({"kind":"result","chat_id":8,"message_id":3} trailing)", 3.5);
      CHECK(tally.succeeded() == 2);
      CHECK(tally.failed() == 1);
      CHECK(tally.llm_titles() == 1);
      CHECK(tally.bad_lines() == 1);
      CHECK(tally.last_result_s() == doctest::Approx(2.5));
    }
    SUBCASE("lines split across reads and bad lines") {
      tally.feed("{\"kind\":\"res", 1.0);
      tally.feed("ult\",\"chat_id\":1,\"message_id\":1}\nnot json\n{\"kind\":\"error\"}\n", 1.5);
      CHECK(tally.succeeded() == 1);
      CHECK(tally.bad_lines() == 1);
      CHECK(tally.failed() == 0); // an error about no message is not a message's failure
      CHECK(tally.last_result_s() == doctest::Approx(1.5));
    }
  }

  TEST_CASE("m2g::bench::messages_in_chat") {
    CHECK(messages_in_chat(10, 3, 0) == 4);
    CHECK(messages_in_chat(10, 3, 1) == 3);
    CHECK(messages_in_chat(10, 3, 2) == 3);
    CHECK(messages_in_chat(10, 3, 3) == 0);
    CHECK(messages_in_chat(2, 5, 4) == 0);
    CHECK(messages_in_chat(5, 0, 0) == 0);
  }

  TEST_CASE("m2g::bench::confirmations") {
    auto state = nlohmann::json::parse(R"({"ok":true,"chat_id":5,"messages":[
      {"message_id":1,"text":"✅ Saved to inbox.md","deleted":false},
      {"message_id":2,"text":"▓▓▓░░ 50% generating title…","deleted":false},
      {"message_id":3,"text":"✅ Saved to inbox.md","deleted":true},
      {"message_id":4,"text":"❌ push refused"}]})");
    CHECK(confirmations(state) == 1);
    CHECK(confirmations(nlohmann::json::object()) == 0);
    CHECK(confirmations(nlohmann::json::parse("[{\"text\":\"✅ a\"},{\"text\":\"✅ b\"}]")) == 2);
  }

  TEST_CASE("m2g::bench::ConfirmTracker") {
    ConfirmTracker tracker(100, 3, 5); // chats 100, 101, 102 hold 2, 2, 1 messages
    CHECK(tracker.pending() == std::vector<int64_t>{100, 101, 102});
    CHECK_FALSE(tracker.seen(100, 1, 1.0));
    CHECK(tracker.seen(102, 1, 2.0));
    CHECK(tracker.seen(100, 2, 3.0));
    CHECK_FALSE(tracker.seen(100, 2, 4.0)); // already complete
    CHECK(tracker.confirmed() == 3);
    CHECK_FALSE(tracker.complete());
    CHECK(tracker.seen(101, 3, 5.0));
    CHECK(tracker.complete());
    CHECK(tracker.last_s() == doctest::Approx(5.0));
    CHECK(tracker.latencies().count() == 5);
    CHECK(tracker.latencies().percentile(50) == doctest::Approx(3.0));
  }
}
