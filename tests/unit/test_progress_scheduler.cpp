#include "common/progress/scheduler.hpp"

#include <doctest/doctest.h>
#include <map>
#include <vector>

using namespace m2g;
using namespace m2g::progress;
using namespace std::chrono_literals;

namespace {

// Everything pop() gives now, completed at once (a Telegram that answers instantly).
std::vector<TicketId> pop_all(Scheduler& scheduler, ManualClock& clock, bool complete = true) {
  std::vector<TicketId> out;
  while (auto ticket = scheduler.pop(clock.now())) {
    out.push_back(*ticket);
    if (complete) {
      scheduler.complete(*ticket, clock.now());
    }
  }
  return out;
}

int64_t ms_since(TimePoint start, TimePoint t) {
  return std::chrono::duration_cast<Millis>(t - start).count();
}

} // namespace

TEST_SUITE("progress") {
  TEST_CASE("m2g::progress::Scheduler per-chat limit") {
    ManualClock clock;
    Scheduler scheduler({1, 30}, clock.now());
    TimePoint start = clock.now();
    for (int i = 0; i < 10; ++i) {
      scheduler.add(7, Lane::urgent, clock.now());
    }
    std::vector<int64_t> sent_at;
    for (int step = 0; step < 1200; ++step) { // 12 s in 10 ms steps
      for (size_t n = pop_all(scheduler, clock).size(); n > 0; --n) {
        sent_at.push_back(ms_since(start, clock.now()));
      }
      clock.advance(10ms);
    }
    REQUIRE(sent_at.size() == 10);
    for (size_t i = 1; i < sent_at.size(); ++i) {
      CHECK(sent_at[i] - sent_at[i - 1] >= 1000); // never two calls in one second in one chat
      CHECK(sent_at[i] - sent_at[i - 1] <= 1010); // and no idling either
    }
    CHECK(scheduler.size() == 0);
  }

  TEST_CASE("m2g::progress::Scheduler global limit") {
    ManualClock clock;
    Scheduler scheduler({1, 30}, clock.now());
    TimePoint start = clock.now();
    for (int chat = 1; chat <= 300; ++chat) {
      scheduler.add(chat, Lane::urgent, clock.now());
    }
    std::vector<int64_t> sent_at;
    for (int step = 0; step < 1500 && scheduler.size() > 0; ++step) {
      for (size_t n = pop_all(scheduler, clock).size(); n > 0; --n) {
        sent_at.push_back(ms_since(start, clock.now()));
      }
      clock.advance(10ms);
    }
    REQUIRE(sent_at.size() == 300);
    // A full bucket of 30 at once, then 30 per second: by time t at most 30 + 30 t calls,
    // and the budget is used (at least 30 t).
    for (size_t i = 0; i < sent_at.size(); ++i) {
      double t = sent_at[i] / 1000.0;
      CHECK(static_cast<double>(i + 1) <= 30 + 30 * t + 1e-9);
    }
    CHECK(sent_at.back() <= 9'000 + 10);
    SUBCASE("any one-second window after the burst holds at most 30 + 1") {
      for (size_t i = 30; i < sent_at.size(); ++i) {
        size_t in_window = 0;
        for (size_t j = i; j < sent_at.size() && sent_at[j] < sent_at[i] + 1000; ++j) {
          ++in_window;
        }
        CHECK(in_window <= 31);
      }
    }
  }

  TEST_CASE("m2g::progress::Scheduler::pop") {
    ManualClock clock;
    SUBCASE("one call in flight per chat: a chat's calls arrive in order") {
      Scheduler scheduler({100, 100}, clock.now());
      TicketId a = scheduler.add(1, Lane::urgent, clock.now());
      TicketId b = scheduler.add(1, Lane::urgent, clock.now());
      TicketId c = scheduler.add(2, Lane::urgent, clock.now());
      auto first = pop_all(scheduler, clock, false);
      CHECK(first == std::vector<TicketId>{a, c});
      clock.advance(5s);
      CHECK_FALSE(scheduler.pop(clock.now()));
      scheduler.complete(a, clock.now());
      CHECK(scheduler.pop(clock.now()) == b);
    }
    SUBCASE("final states first when the global budget is short") {
      Scheduler scheduler({100, 5}, clock.now());
      std::map<TicketId, Lane> lane;
      for (int chat = 1; chat <= 20; ++chat) {
        lane[scheduler.add(chat, Lane::normal, clock.now())] = Lane::normal; // older intermediates
      }
      for (int chat = 21; chat <= 40; ++chat) {
        lane[scheduler.add(chat, Lane::urgent, clock.now())] = Lane::urgent;
      }
      std::vector<TicketId> order;
      while (order.size() < 40) {
        for (TicketId id : pop_all(scheduler, clock)) {
          order.push_back(id);
        }
        clock.advance(50ms);
      }
      for (size_t i = 0; i < 20; ++i) {
        CHECK(lane[order[i]] == Lane::urgent);
      }
      for (size_t i = 20; i < 40; ++i) {
        CHECK(lane[order[i]] == Lane::normal);
      }
    }
    SUBCASE("promote keeps the ticket's age but moves it to the urgent lane") {
      Scheduler scheduler({100, 1}, clock.now());
      TicketId old_normal = scheduler.add(1, Lane::normal, clock.now());
      TicketId urgent = scheduler.add(2, Lane::urgent, clock.now());
      TicketId promoted = scheduler.add(3, Lane::normal, clock.now());
      scheduler.promote(promoted, clock.now());
      CHECK(scheduler.queued(Lane::urgent) == 2);
      std::vector<TicketId> order;
      while (order.size() < 3) {
        for (TicketId id : pop_all(scheduler, clock)) {
          order.push_back(id);
        }
        clock.advance(100ms);
      }
      CHECK(order == std::vector<TicketId>{urgent, promoted, old_normal});
    }
    SUBCASE("callback answers jump the queue and skip the per-chat limit") {
      Scheduler scheduler({1, 2}, clock.now());
      TicketId busy = scheduler.add(1, Lane::urgent, clock.now());
      CHECK(scheduler.pop(clock.now()) == busy); // chat 1 now has a call in flight
      scheduler.add(1, Lane::urgent, clock.now());
      scheduler.add(2, Lane::urgent, clock.now());
      TicketId callback = scheduler.add(1, Lane::callback, clock.now());
      clock.advance(500ms); // one global token
      CHECK(scheduler.pop(clock.now()) == callback);
    }
    SUBCASE("cancel forgets a queued ticket, not one in flight") {
      Scheduler scheduler({1, 30}, clock.now());
      TicketId a = scheduler.add(1, Lane::normal, clock.now());
      TicketId b = scheduler.add(1, Lane::normal, clock.now());
      CHECK(scheduler.pop(clock.now()) == a);
      CHECK_FALSE(scheduler.cancel(a, clock.now()));
      CHECK(scheduler.cancel(b, clock.now()));
      scheduler.complete(a, clock.now());
      CHECK(scheduler.size() == 0);
      CHECK_FALSE(scheduler.next_wakeup(clock.now()));
    }
  }

  TEST_CASE("m2g::progress::Scheduler::retry_after") {
    ManualClock clock;
    Scheduler scheduler({100, 100}, clock.now());
    SUBCASE("a chat's 429 holds that chat only, and the ticket keeps its place") {
      TicketId a = scheduler.add(1, Lane::urgent, clock.now());
      TicketId b = scheduler.add(1, Lane::urgent, clock.now());
      REQUIRE(scheduler.pop(clock.now()) == a);
      scheduler.retry_after(a, clock.now(), 5s);
      TicketId other = scheduler.add(2, Lane::urgent, clock.now());
      CHECK(pop_all(scheduler, clock) == std::vector<TicketId>{other});
      CHECK(scheduler.next_wakeup(clock.now()) == clock.now() + 5s);
      clock.advance(4999ms);
      CHECK_FALSE(scheduler.pop(clock.now()));
      clock.advance(1ms);
      CHECK(scheduler.pop(clock.now()) == a); // before b: retried, not sent to the back
      scheduler.complete(a, clock.now());
      clock.advance(10ms);
      CHECK(scheduler.pop(clock.now()) == b);
    }
    SUBCASE("429s from two chats within a second hold every chat") {
      TicketId a = scheduler.add(1, Lane::urgent, clock.now());
      TicketId b = scheduler.add(2, Lane::urgent, clock.now());
      scheduler.add(3, Lane::urgent, clock.now());
      REQUIRE(scheduler.pop(clock.now()) == a);
      REQUIRE(scheduler.pop(clock.now()) == b);
      scheduler.retry_after(a, clock.now(), 3s);
      scheduler.retry_after(b, clock.now(), 3s);
      clock.advance(2999ms);
      CHECK_FALSE(scheduler.pop(clock.now())); // chat 3 waits too
      clock.advance(1ms);
      CHECK(pop_all(scheduler, clock).size() == 3);
    }
    SUBCASE("a callback's 429 hold everything") {
      TicketId callback = scheduler.add(0, Lane::callback, clock.now());
      REQUIRE(scheduler.pop(clock.now()) == callback);
      scheduler.retry_after(callback, clock.now(), 2s);
      scheduler.add(9, Lane::urgent, clock.now());
      clock.advance(1999ms);
      CHECK_FALSE(scheduler.pop(clock.now()));
      clock.advance(1ms);
      CHECK(pop_all(scheduler, clock).size() == 2);
    }
    SUBCASE("retry_later waits for the chat only") {
      TicketId a = scheduler.add(1, Lane::normal, clock.now());
      REQUIRE(scheduler.pop(clock.now()) == a);
      scheduler.retry_later(a, clock.now(), 700ms);
      TicketId other = scheduler.add(2, Lane::normal, clock.now());
      CHECK(scheduler.pop(clock.now()) == other);
      clock.advance(700ms);
      CHECK(scheduler.pop(clock.now()) == a);
    }
  }

  TEST_CASE("m2g::progress::Scheduler::chats") {
    ManualClock clock;
    Scheduler scheduler({1, 1000}, clock.now());
    for (int chat = 0; chat < 500; ++chat) {
      scheduler.add(chat, Lane::urgent, clock.now());
    }
    CHECK(pop_all(scheduler, clock).size() == 500);
    CHECK(scheduler.chats() == 500); // their buckets are empty: forgetting them would lift the limit
    clock.advance(1001ms);
    scheduler.pop(clock.now());
    CHECK(scheduler.chats() == 0);
  }
}
