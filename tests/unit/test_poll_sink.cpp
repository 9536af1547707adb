#include "tests/unit/scratch.hpp"
#include "tests/unit/wake_probe.hpp"

#include "common/poll/sink.hpp"

#include <csignal>
#include <doctest/doctest.h>
#include <fcntl.h>
#include <unistd.h>

using namespace m2g;
using test::woken;

namespace {

std::vector<poll::Item> items(int64_t first, int64_t count) {
  std::vector<poll::Item> out;
  for (int64_t id = first; id < first + count; ++id) {
    out.push_back({id, R"({"v":1,"kind":"update","id":"tg:)" + std::to_string(id) + R"("})"});
  }
  return out;
}

std::string read_all(int fd) {
  std::string out;
  char buf[4096];
  ssize_t n;
  while ((n = ::read(fd, buf, sizeof buf)) > 0) {
    out.append(buf, static_cast<size_t>(n));
  }
  return out;
}

} // namespace

TEST_SUITE("poll") {
  TEST_CASE("m2g::poll::open_sink") {
    ManualClock clock;
    std::string dir = test::fresh_dir("sink");

    SUBCASE("queue: lines and offset in one transaction of the queue's database; duplicates skipped") {
      poll::SinkOptions options;
      options.out = "sqlite:" + dir + "/q.db#updates";
      options.bot_id = 5;
      options.sync = sqlite::Sync::normal;
      auto sink = poll::open_sink(options, clock);
      CHECK(sink->offset().take_or_throw() == 0);
      queue::ChangeWatcher reader(dir + "/q.db", "updates");
      REQUIRE(reader.per_topic());
      CHECK_FALSE(woken(reader));
      CHECK(sink->handoff(items(10, 3), 13).take_or_throw() == 3);
      CHECK(woken(reader)); // without a wake, m2g-route found the lines only at its slow tick
      CHECK(sink->offset().take_or_throw() == 13);
      // The same updates again (a webhook retry): nothing new, offset moves.
      CHECK(sink->handoff(items(11, 3), 14).take_or_throw() == 1);
      CHECK(woken(reader));
      CHECK(sink->handoff(items(11, 3), 14).take_or_throw() == 0);
      CHECK_FALSE(woken(reader)); // nothing stored, nobody woken
      auto queue = queue::Queue::open(dir + "/q.db").take_or_throw();
      queue::TakeOptions take;
      take.max = 100;
      auto taken = queue.take("updates", take).take_or_throw();
      REQUIRE(taken.size() == 4);
      CHECK(taken[3].line.find("tg:13") != std::string::npos);
      // The state tables live in the queue's file: a fresh sink on it sees the offset.
      auto again = poll::open_sink(options, clock);
      CHECK(again->offset().take_or_throw() == 14);
    }

    SUBCASE("pipe: lines reach the fd, then the offset is stored in the state file") {
      int fds[2];
      REQUIRE(::pipe(fds) == 0);
      poll::SinkOptions options;
      options.out = "-";
      options.state_path = dir + "/sub/state.db";
      options.out_fd = fds[1];
      auto sink = poll::open_sink(options, clock);
      CHECK(sink->handoff(items(1, 2), 3).take_or_throw() == 2);
      CHECK(sink->handoff(items(2, 1), 3).take_or_throw() == 0);
      CHECK(sink->offset().take_or_throw() == 3);
      ::close(fds[1]);
      CHECK(read_all(fds[0]) ==
            "{\"v\":1,\"kind\":\"update\",\"id\":\"tg:1\"}\n{\"v\":1,\"kind\":\"update\",\"id\":\"tg:2\"}\n");
      ::close(fds[0]);
    }

    SUBCASE("pipe: a vanished reader fails the handoff and the offset stays") {
      std::signal(SIGPIPE, SIG_IGN);
      int fds[2];
      REQUIRE(::pipe(fds) == 0);
      ::close(fds[0]);
      poll::SinkOptions options;
      options.state_path = dir + "/state.db";
      options.out_fd = fds[1];
      auto sink = poll::open_sink(options, clock);
      auto result = sink->handoff(items(1, 2), 3);
      CHECK_FALSE(result.ok());
      CHECK(result.failure().exit_code == 74);
      CHECK(sink->offset().take_or_throw() == 0);
      ::close(fds[1]);
    }

    SUBCASE("a bad --out is a usage error") {
      poll::SinkOptions options;
      options.out = "kafka://x";
      try {
        poll::open_sink(options, clock);
        FAIL("no error");
      } catch (const Error& e) {
        CHECK(e.exit_code() == 64);
      }
    }
  }
}
