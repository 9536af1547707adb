#include "common/event/loop.hpp"

#include <doctest/doctest.h>
#include <functional>
#include <unistd.h>
#include <vector>

using namespace m2g;

TEST_SUITE("event") {
  TEST_CASE("m2g::event::Loop::after") {
    ManualClock clock;
    event::Loop loop(clock);
    std::vector<int> fired;
    loop.after(Millis(30), [&] { fired.push_back(30); });
    loop.after(Millis(10), [&] { fired.push_back(10); });
    auto cancelled = loop.after(Millis(20), [&] { fired.push_back(20); });
    loop.cancel(cancelled);
    loop.run_once(Millis(0));
    CHECK(fired.empty());
    clock.advance(std::chrono::milliseconds(15));
    loop.run_once(Millis(0));
    CHECK(fired == std::vector<int>{10});
    clock.advance(std::chrono::milliseconds(100));
    loop.run_once(Millis(0));
    CHECK(fired == std::vector<int>{10, 30});
  }

  TEST_CASE("m2g::event::Loop::watch") {
    event::Loop loop;
    int fds[2];
    REQUIRE(pipe(fds) == 0);
    std::string got;
    loop.watch(fds[0], event::k_readable, [&](uint32_t) {
      char buf[16];
      ssize_t n = read(fds[0], buf, sizeof buf);
      got.append(buf, static_cast<size_t>(n));
      loop.unwatch(fds[0]); // from inside its own callback
      loop.stop();
    });
    loop.defer([&] { REQUIRE(write(fds[1], "hi", 2) == 2); });
    loop.run();
    CHECK(got == "hi");
    close(fds[0]);
    close(fds[1]);
  }

  TEST_CASE("m2g::event::Loop::defer") {
    event::Loop loop;
    std::vector<int> order;
    loop.defer([&] {
      order.push_back(1);
      loop.defer([&] {
        order.push_back(3);
        loop.stop();
      });
    });
    loop.defer([&] { order.push_back(2); });
    loop.run();
    CHECK(order == std::vector<int>{1, 2, 3});
  }

  TEST_CASE("m2g::event::Loop::defer does not starve timers") {
    // Work that keeps deferring more (a queue drained batch by batch) must let a due timer run.
    event::Loop loop;
    bool timer_ran = false;
    int rounds = 0;
    loop.after(Millis(0), [&] { timer_ran = true; });
    std::function<void()> again = [&] {
      if (timer_ran || ++rounds > 100'000) {
        loop.stop();
        return;
      }
      loop.defer(again);
    };
    loop.defer(again);
    loop.run();
    CHECK(timer_ran);
    CHECK(rounds < 10);
  }
}
