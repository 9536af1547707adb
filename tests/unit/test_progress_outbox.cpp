// The outbox against a Telegram the test answers by hand, on an event loop driven by a
// ManualClock: every limit and retry is checked in simulated time, without sleeping. (The real
// HTTP path is covered by the CLI tests against the fake Telegram server.)
#include "common/progress/outbox.hpp"

#include <deque>
#include <doctest/doctest.h>

using namespace m2g;
using namespace m2g::progress;
using namespace std::chrono_literals;

namespace {

struct ScriptedTransport : Transport {
  struct Pending {
    Call call;
    std::function<void(Reply)> done;
  };
  explicit ScriptedTransport(ManualClock& clock) : clock(clock) {}
  void call(const Call& sent, std::function<void(Reply)> done) override {
    // What goes over the wire: the serialized body when the outbox wrote one.
    Call call = sent;
    if (!call.body.empty()) {
      call.params = json::parse(call.body);
    }
    pending.push_back({call, std::move(done)});
    log.push_back(call);
    sent_at.push_back(clock.now());
  }
  /// Answer the oldest call in flight.
  void answer(Reply reply) {
    REQUIRE_FALSE(pending.empty());
    Pending call = std::move(pending.front());
    pending.pop_front();
    call.done(std::move(reply));
  }
  /// Answer the oldest call with success (a new message id for sendMessage).
  void ok() {
    REQUIRE_FALSE(pending.empty());
    Reply reply;
    reply.outcome = Outcome::ok;
    reply.status = 200;
    reply.message_id = pending.front().call.method == "sendMessage" ? ++next_message_id : 0;
    answer(std::move(reply));
  }
  ManualClock& clock;
  std::deque<Pending> pending;
  std::vector<Call> log;
  std::vector<TimePoint> sent_at;
  int64_t next_message_id = 1000;
};

Reply failure(int status, const std::string& body) {
  return classify(status, body);
}
Reply too_many(int seconds) {
  return failure(429, R"({"ok":false,"error_code":429,"description":"Too Many Requests: retry after )" +
                          std::to_string(seconds) + R"(","parameters":{"retry_after":)" + std::to_string(seconds) +
                          "}}");
}

struct Harness {
  explicit Harness(OutboxOptions options = {}) : outbox(loop, transport, options) {}
  /// Let the loop run what is due now.
  void turn() {
    for (int i = 0; i < 3; ++i) {
      loop.run_once(Millis(0));
    }
  }
  void advance(Millis d) {
    clock.advance(d);
    turn();
  }
  /// Hand a line to the outbox without running the loop (several lines "at once").
  void accept(const json& line) {
    auto result = outbox.accept(line, jsonl::kind_from_name(line["kind"].get<std::string>()));
    REQUIRE(result.ok());
  }
  void feed(const json& line) {
    accept(line);
    turn();
  }
  std::string text(size_t call) const { return transport.log.at(call).params.value("text", ""); }

  ManualClock clock;
  event::Loop loop{clock};
  ScriptedTransport transport{clock};
  Outbox outbox;
};

json job_line(const char* kind, const std::string& id, int64_t chat, int64_t status_message_id = 0) {
  json line = {{"v", 1}, {"kind", kind}, {"id", id}, {"chat_id", chat}, {"message_id", 10}};
  if (status_message_id != 0) {
    line["status_message_id"] = status_message_id;
  }
  return line;
}
json progress_line(const std::string& id, int64_t chat, int pct, int64_t status_message_id = 0) {
  json line = job_line("progress", id, chat, status_message_id);
  line["pct"] = pct;
  line["text"] = "step " + std::to_string(pct);
  return line;
}
json result(const std::string& id, int64_t chat, int64_t status_message_id = 0) {
  json line = job_line("result", id, chat, status_message_id);
  line["file"] = "note.md";
  line["url"] = "https://github.com/o/r/blob/main/note.md";
  return line;
}
json action(const std::string& method, json params, bool final = false) {
  return {{"v", 1}, {"kind", "action"}, {"id", "a"}, {"method", method}, {"params", params}, {"final", final}};
}

} // namespace

TEST_SUITE("progress") {
  TEST_CASE("m2g::progress::Outbox a job's states") {
    Harness h;
    SUBCASE("a job's states end as one message reading ✅, edited in place") {
      h.feed(progress_line("5:10", 5, 10));
      REQUIRE(h.transport.log.size() == 1);
      CHECK(h.transport.log[0].method == "sendMessage");
      CHECK(h.transport.log[0].params["reply_parameters"]["message_id"] == 10);
      CHECK(h.transport.log[0].params["chat_id"] == 5);
      h.transport.ok(); // message 1001
      h.feed(progress_line("5:10", 5, 30));
      CHECK(h.transport.log.size() == 1); // one per second in a chat
      h.advance(1s);
      REQUIRE(h.transport.log.size() == 2);
      CHECK(h.transport.log[1].method == "editMessageText");
      CHECK(h.transport.log[1].params["message_id"] == 1001);
      CHECK(h.text(1) == "▓▓▓░░░░░░░ 30% step 30");
      h.transport.ok();
      h.feed(result("5:10", 5));
      h.advance(1s);
      REQUIRE(h.transport.log.size() == 3);
      CHECK(h.transport.log[2].params["message_id"] == 1001);
      CHECK(h.text(2).starts_with("✅ Saved to <b>note.md</b>"));
      CHECK(h.transport.log[2].params["reply_markup"]["inline_keyboard"][0][0]["url"] ==
            "https://github.com/o/r/blob/main/note.md");
      h.transport.ok();
      h.turn();
      CHECK(h.outbox.idle());
      SUBCASE("a late intermediate state of the finished job is stale") {
        h.feed(progress_line("5:10", 5, 90));
        h.advance(2s);
        CHECK(h.transport.log.size() == 3);
      }
      SUBCASE("a redelivered result edits the same message again") {
        json again = result("5:10", 5);
        again["duplicate"] = true;
        h.feed(again);
        h.advance(2s);
        REQUIRE(h.transport.log.size() == 4);
        CHECK(h.transport.log[3].params["message_id"] == 1001);
        CHECK(h.text(3).starts_with("✅ Already saved"));
      }
    }
    SUBCASE("with status_message_id the job's message is edited from the first state") {
      h.feed(progress_line("5:10", 5, 10, 77));
      REQUIRE(h.transport.log.size() == 1);
      CHECK(h.transport.log[0].method == "editMessageText");
      CHECK(h.transport.log[0].params["message_id"] == 77);
    }
    SUBCASE("an unchanged state costs no call") {
      h.feed(progress_line("5:10", 5, 10, 77));
      h.transport.ok();
      h.feed(progress_line("5:10", 5, 10, 77));
      h.advance(2s);
      CHECK(h.transport.log.size() == 1);
    }
  }

  TEST_CASE("m2g::progress::Outbox coalescing") {
    Harness h;
    h.feed(progress_line("1:1", 1, 1, 77));
    REQUIRE(h.transport.log.size() == 1); // in flight, unanswered: Telegram is slow
    SUBCASE("many states while one is in flight: the end state follows, the rest is skipped") {
      for (int pct = 2; pct <= 60; ++pct) {
        h.feed(progress_line("1:1", 1, pct, 77));
      }
      h.feed(result("1:1", 1, 77));
      for (int pct = 61; pct <= 70; ++pct) {
        h.feed(progress_line("1:1", 1, pct, 77)); // stale: the end state is already waiting
      }
      h.advance(5s);
      CHECK(h.transport.log.size() == 1); // nothing overtakes the call in flight
      h.transport.ok();
      h.advance(1s);
      REQUIRE(h.transport.log.size() == 2);
      CHECK(h.text(1).starts_with("✅"));
      h.transport.ok();
      h.advance(5s);
      CHECK(h.transport.log.size() == 2);
      CHECK(h.outbox.stats().coalesced >= 58);
      CHECK(h.outbox.idle());
    }
    SUBCASE("without an end state the newest intermediate one wins") {
      for (int pct = 2; pct <= 50; ++pct) {
        h.feed(progress_line("1:1", 1, pct, 77));
      }
      h.transport.ok();
      h.advance(1s);
      REQUIRE(h.transport.log.size() == 2);
      CHECK(h.text(1) == "▓▓▓▓▓░░░░░ 50% step 50");
      h.transport.ok();
      h.advance(5s);
      CHECK(h.transport.log.size() == 2);
    }
    SUBCASE("at most max_frames intermediate states per message") {
      h.transport.ok();
      for (int pct = 2; pct <= 30; ++pct) {
        h.feed(progress_line("1:1", 1, pct, 77));
        h.advance(1s);
        if (!h.transport.pending.empty()) {
          h.transport.ok();
        }
      }
      CHECK(h.transport.log.size() == 8); // OutboxOptions::max_frames
      h.feed(result("1:1", 1, 77));
      h.advance(1s);
      CHECK(h.transport.log.size() == 9); // the end state is not capped
    }
  }

  TEST_CASE("m2g::progress::Outbox rate limits") {
    SUBCASE("at most one call per second into a chat") {
      Harness h;
      for (int i = 0; i < 5; ++i) {
        h.accept(action("sendMessage", {{"chat_id", 3}, {"text", "m" + std::to_string(i)}}));
      }
      for (int step = 0; step < 100; ++step) {
        while (!h.transport.pending.empty()) {
          h.transport.ok();
        }
        h.advance(100ms);
      }
      REQUIRE(h.transport.log.size() == 5);
      for (size_t i = 1; i < 5; ++i) {
        CHECK(h.transport.sent_at[i] - h.transport.sent_at[i - 1] >= 1s);
        CHECK(h.text(i) == "m" + std::to_string(i)); // in order
      }
    }
    SUBCASE("final states first when the global budget is short") {
      OutboxOptions options;
      options.rate = {1, 2};
      Harness h(options);
      for (int chat = 1; chat <= 10; ++chat) {
        h.accept(progress_line("a" + std::to_string(chat), chat, 50, 100 + chat));
      }
      for (int chat = 11; chat <= 20; ++chat) {
        h.accept(result("b" + std::to_string(chat), chat, 100 + chat));
      }
      for (int step = 0; step < 200 && h.transport.log.size() < 20; ++step) {
        h.turn();
        while (!h.transport.pending.empty()) {
          h.transport.ok();
        }
        h.advance(100ms);
      }
      REQUIRE(h.transport.log.size() == 20);
      for (size_t i = 0; i < 10; ++i) {
        CHECK(h.text(i).starts_with("✅"));
      }
      for (size_t i = 10; i < 20; ++i) {
        CHECK(h.text(i).find("50%") != std::string::npos);
      }
      // 2 per second with a burst of 2: 20 calls need at least 9 s.
      CHECK(h.transport.sent_at[19] - h.transport.sent_at[0] >= 9s);
    }
    SUBCASE("a callback answer jumps the queue") {
      OutboxOptions options;
      options.rate = {1, 1};
      Harness h(options);
      for (int chat = 1; chat <= 5; ++chat) {
        h.accept(action("sendMessage", {{"chat_id", chat}, {"text", "hi"}}));
      }
      h.accept(action("answerCallbackQuery", {{"callback_query_id", "cb"}}));
      h.turn();
      REQUIRE(h.transport.log.size() == 1);
      CHECK(h.transport.log[0].method == "answerCallbackQuery");
    }
    SUBCASE("429 retry_after is honoured and the end state still arrives") {
      Harness h;
      h.feed(progress_line("1:1", 1, 10, 77));
      h.transport.answer(too_many(2));
      h.feed(progress_line("1:1", 1, 20, 77)); // newer state while waiting: it replaces the refused one
      h.advance(1999ms);
      CHECK(h.transport.log.size() == 1);
      h.advance(1ms);
      REQUIRE(h.transport.log.size() == 2);
      CHECK(h.text(1).find("20%") != std::string::npos);
      h.feed(result("1:1", 1, 77));
      for (int i = 0; i < 5; ++i) {
        h.transport.answer(too_many(3));
        h.advance(3s);
      }
      h.transport.ok();
      h.advance(1s);
      REQUIRE(h.transport.log.size() == 7);
      for (size_t i = 2; i < 7; ++i) {
        CHECK(h.text(i).starts_with("✅"));
        CHECK(h.transport.sent_at[i] - h.transport.sent_at[i - 1] >= 3s);
      }
      CHECK(h.transport.pending.empty());
      CHECK(h.outbox.idle());
      CHECK(h.outbox.stats().rate_limited == 6);
    }
  }

  TEST_CASE("m2g::progress::Outbox Telegram errors") {
    SUBCASE("'message is not modified' is done, not an error") {
      Harness h;
      h.feed(result("1:1", 1, 77));
      h.transport.answer(failure(400,
                                 R"({"ok":false,"error_code":400,"description":"Bad Request: message is not )"
                                 R"(modified: specified new message content and reply markup are exactly the same"})"));
      h.turn();
      CHECK(h.outbox.idle());
      CHECK(h.outbox.stats().failed == 0);
      h.feed(progress_line("1:1", 1, 50, 77));
      h.advance(2s);
      CHECK(h.transport.log.size() == 1); // finished: the late state is stale
    }
    SUBCASE("a deleted status message: the end state goes out as a new message") {
      Harness h;
      h.feed(progress_line("1:1", 1, 10, 77));
      h.transport.answer(
          failure(400, R"({"ok":false,"error_code":400,"description":"Bad Request: message to edit not found"})"));
      h.feed(progress_line("1:1", 1, 20, 77));
      h.advance(2s);
      CHECK(h.transport.log.size() == 1); // intermediate states of a vanished message are skipped
      h.feed(result("1:1", 1, 77));
      h.advance(1s);
      REQUIRE(h.transport.log.size() == 2);
      CHECK(h.transport.log[1].method == "sendMessage");
      CHECK(h.transport.log[1].params["reply_parameters"]["message_id"] == 10);
      CHECK(h.text(1).starts_with("✅"));
      h.transport.ok();
      h.turn();
      CHECK(h.outbox.idle());
    }
    SUBCASE("the person's message is gone: the status message is sent without the reply") {
      Harness h;
      h.feed(progress_line("1:1", 1, 10));
      h.transport.answer(failure(
          400, R"({"ok":false,"error_code":400,"description":"Bad Request: message to be replied not found"})"));
      h.advance(1s);
      REQUIRE(h.transport.log.size() == 2);
      CHECK(h.transport.log[1].method == "sendMessage");
      CHECK_FALSE(h.transport.log[1].params.contains("reply_parameters"));
      CHECK(h.text(1) == h.text(0));
    }
    SUBCASE("5xx and network failures are retried with backoff, a bounded number of times") {
      OutboxOptions options;
      options.backoff = {Millis(100), Millis(1000), 3};
      Harness h(options);
      h.feed(action("sendMessage", {{"chat_id", 1}, {"text", "x"}}));
      for (int i = 0; i < 3; ++i) {
        REQUIRE(h.transport.log.size() == static_cast<size_t>(i + 1));
        h.transport.answer(failure(502, "<html>Bad Gateway</html>"));
        h.advance(1s);
      }
      CHECK(h.transport.log.size() == 3);
      CHECK(h.outbox.stats().retried == 2);
      CHECK(h.outbox.stats().failed == 1);
      CHECK(h.outbox.idle());
    }
    SUBCASE("a refused button: the link moves into the text") {
      Harness h;
      h.feed(result("1:1", 1, 77));
      h.transport.answer(
          failure(400, R"({"ok":false,"error_code":400,"description":"Bad Request: BUTTON_URL_INVALID"})"));
      h.advance(1s);
      REQUIRE(h.transport.log.size() == 2);
      CHECK_FALSE(h.transport.log[1].params.contains("reply_markup"));
      CHECK(h.text(1).find("<a href=\"https://github.com/o/r/blob/main/note.md\">") != std::string::npos);
    }
    SUBCASE("formatting Telegram cannot parse: an action goes out as plain text") {
      Harness h;
      h.feed(action("sendMessage", {{"chat_id", 1}, {"text", "<b>x &amp; y"}, {"parse_mode", "HTML"}}));
      h.transport.answer(
          failure(400, R"({"ok":false,"error_code":400,"description":"Bad Request: can't parse entities"})"));
      h.advance(1s);
      REQUIRE(h.transport.log.size() == 2);
      CHECK(h.text(1) == "x & y");
      CHECK_FALSE(h.transport.log[1].params.contains("parse_mode"));
    }
    SUBCASE("401 stops all sending") {
      Harness h;
      std::string why;
      h.outbox.on_unauthorized = [&](const std::string& description) { why = description; };
      h.accept(action("sendMessage", {{"chat_id", 1}, {"text", "a"}}));
      h.accept(action("sendMessage", {{"chat_id", 2}, {"text", "b"}}));
      h.turn();
      h.transport.answer(failure(401, R"({"ok":false,"error_code":401,"description":"Unauthorized"})"));
      CHECK(why == "Unauthorized");
      CHECK(h.outbox.idle());
      h.transport.ok(); // the other call still returns: ignored
      h.feed(action("sendMessage", {{"chat_id", 3}, {"text", "c"}}));
      h.advance(2s);
      CHECK(h.transport.log.size() == 2);
    }
  }

  TEST_CASE("m2g::progress::Outbox::accept") {
    Harness h;
    SUBCASE("an edit action and the job's states share the status message") {
      h.accept(action("editMessageText", {{"chat_id", 5}, {"message_id", 77}, {"text", "⏳ queued"}}));
      h.accept(result("5:10", 5, 77));
      h.turn();
      REQUIRE(h.transport.log.size() == 1);
      CHECK(h.text(0).starts_with("✅"));
      h.transport.ok();
      h.feed(action("editMessageText", {{"chat_id", 5}, {"message_id", 77}, {"text", "⏳ late"}}));
      h.advance(2s);
      CHECK(h.transport.log.size() == 1); // a late non-final edit does not undo the ✅
    }
    SUBCASE("actions are made with their params as given") {
      json markup = {{"inline_keyboard", json::array({json::array({{{"text", "📝 NOTE"}, {"callback_data", "f:n"}}})})}};
      h.feed(action("sendMessage", {{"chat_id", 9}, {"text", "Where to?"}, {"reply_markup", markup}}));
      REQUIRE(h.transport.log.size() == 1);
      CHECK(h.transport.log[0].method == "sendMessage");
      CHECK(h.transport.log[0].params["reply_markup"] == markup);
    }
    SUBCASE("unknown methods and actions without params are refused") {
      auto refused = h.outbox.accept(action("logOut", json::object()), jsonl::Kind::action);
      CHECK_FALSE(refused.ok());
      CHECK(refused.error().find("logOut") != std::string::npos);
      json no_params = {{"v", 1}, {"kind", "action"}, {"method", "sendMessage"}};
      CHECK_FALSE(h.outbox.accept(no_params, jsonl::Kind::action).ok());
      CHECK(h.outbox.idle());
    }
    SUBCASE("a refused button press is answered on its spinner") {
      json rejection = {{"v", 1},
                        {"kind", "rejection"},
                        {"id", "tg:5"},
                        {"chat_id", 1},
                        {"retry_after_ms", 2500},
                        {"line", {{"kind", "update"}, {"type", "callback_query"}, {"callback", {{"id", "cb7"}}}}}};
      h.feed(rejection);
      REQUIRE(h.transport.log.size() == 1);
      CHECK(h.transport.log[0].method == "answerCallbackQuery");
      CHECK(h.transport.log[0].params["callback_query_id"] == "cb7");
      CHECK(h.text(0) == "⏳ Slow down: try again in 3 s");
    }
    SUBCASE("a refused message is answered in its chat") {
      json rejection = {{"v", 1},
                        {"kind", "rejection"},
                        {"id", "tg:6"},
                        {"retry_after_ms", 1000},
                        {"line", {{"kind", "update"}, {"chat_id", 4}, {"message_id", 33}}}};
      h.feed(rejection);
      REQUIRE(h.transport.log.size() == 1);
      CHECK(h.transport.log[0].method == "sendMessage");
      CHECK(h.transport.log[0].params["chat_id"] == 4);
      CHECK(h.transport.log[0].params["reply_parameters"]["message_id"] == 33);
    }
    SUBCASE("lines without a chat show nothing") {
      h.feed({{"v", 1}, {"kind", "progress"}, {"id", "x"}, {"pct", 5}});
      CHECK(h.transport.log.empty());
    }
  }

  TEST_CASE("m2g::progress::Outbox::drain") {
    SUBCASE("waiting intermediate states are dropped, end states and actions delivered") {
      OutboxOptions options;
      options.rate = {1, 1};
      Harness h(options);
      h.accept(progress_line("a", 1, 40, 77));
      h.accept(result("b", 2, 78));
      h.accept(action("sendMessage", {{"chat_id", 3}, {"text", "hi"}}));
      h.outbox.drain();
      for (int i = 0; i < 50; ++i) {
        while (!h.transport.pending.empty()) {
          h.transport.ok();
        }
        h.advance(100ms);
      }
      REQUIRE(h.transport.log.size() == 2);
      CHECK(h.text(0).starts_with("✅"));
      CHECK(h.text(1) == "hi");
      CHECK(h.outbox.idle());
    }
    SUBCASE("an intermediate state refused with 429 after the input ended is dropped, not a failure") {
      Harness h;
      h.feed(progress_line("a", 1, 40, 77));
      REQUIRE(h.transport.log.size() == 1);
      h.outbox.drain();
      h.transport.answer(too_many(1));
      h.advance(2s);
      CHECK(h.transport.log.size() == 1);
      CHECK(h.outbox.stats().failed == 0);
      CHECK(h.outbox.stats().skipped == 1);
      CHECK(h.outbox.idle());
    }
  }

  TEST_CASE("m2g::progress::Outbox calls in flight") {
    // A full global bucket would start a second's worth of calls at once; each one in flight
    // holds a connection and curl's buffers, so at most max_inflight go out, and a newer state
    // of a waiting message still replaces the older one.
    OutboxOptions options;
    options.rate = {1000, 1000};
    options.max_inflight = 2;
    Harness h(options);
    for (int chat = 1; chat <= 5; ++chat) {
      h.accept(progress_line("j" + std::to_string(chat), chat, 10, 100 + chat));
    }
    h.accept(result("j5", 5, 105));
    h.turn();
    CHECK(h.transport.pending.size() == 2);
    h.advance(1s); // tokens are there, a free place is not
    CHECK(h.transport.pending.size() == 2);
    h.transport.ok();
    h.turn();
    CHECK(h.transport.pending.size() == 2); // one answer, one more call
    while (!h.transport.pending.empty()) {
      h.transport.ok();
      h.turn();
    }
    REQUIRE(h.transport.log.size() == 5);
    CHECK(h.text(0).starts_with("✅")); // the end state first, in place of the older progress
    CHECK(h.outbox.stats().coalesced == 1);
    CHECK(h.outbox.idle());
  }

  TEST_CASE("m2g::progress::Outbox memory") {
    OutboxOptions options;
    options.max_jobs = 3;
    options.rate = {1000, 1000};
    Harness h(options);
    for (int job = 0; job < 10; ++job) {
      h.feed(progress_line("j" + std::to_string(job), 1, 10));
      h.transport.ok();
      h.feed(result("j" + std::to_string(job), 1));
      h.advance(10ms);
      h.transport.ok();
      h.turn();
    }
    CHECK(h.transport.log.size() == 20);
    CHECK(h.outbox.active_slots() == 0);
    CHECK(h.outbox.remembered_slots() == 3);
    h.advance(2s);
    h.feed(action("sendMessage", {{"chat_id", 2}, {"text", "x"}}));
    CHECK(h.outbox.scheduler_chats() == 1); // chat 1's limiter refilled and was forgotten
  }
}
