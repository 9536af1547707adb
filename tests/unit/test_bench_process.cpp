#include "common/bench/process.hpp"

#include <algorithm>
#include <csignal>
#include <doctest/doctest.h>
#include <fcntl.h>
#include <unistd.h>

using namespace m2g::bench;

TEST_SUITE("bench") {
  TEST_CASE("m2g::bench::status_field_kb") {
    std::string status = "Name:\tm2g-route\nVmPeak:\t   20000 kB\nVmHWM:\t    5120 kB\nVmRSS:\t    4096 kB\n";
    CHECK(status_field_kb(status, "VmHWM") == 5120);
    CHECK(status_field_kb(status, "VmRSS") == 4096);
    CHECK_FALSE(status_field_kb(status, "VmSwap"));
    CHECK_FALSE(status_field_kb("VmHWMx:\t1 kB\n", "VmHWM")); // a longer name is another field
    CHECK_FALSE(status_field_kb("VmHWM:\tlots\n", "VmHWM"));
    CHECK(status_field_kb("VmHWM:\t7 kB", "VmHWM") == 7); // no final newline
  }

  TEST_CASE("m2g::bench::Child") {
    SUBCASE("a child's exit code, peak memory and stdout") {
      int fds[2];
      REQUIRE(::pipe2(fds, O_CLOEXEC) == 0);
      // Touch 32 MiB so the peak is unmistakable.
      ChildSpec spec{"sh",
                     {"/bin/sh", "-c", "head -c 33554432 /dev/zero | tail -c 1 >/dev/null; echo $BENCH_X; exit 3"},
                     {"BENCH_X=hello"},
                     -1,
                     fds[1],
                     -1};
      auto child = Child::spawn(spec);
      REQUIRE(child.ok());
      ::close(fds[1]);
      char buf[64] = {};
      ssize_t n = ::read(fds[0], buf, sizeof buf - 1);
      ::close(fds[0]);
      CHECK(std::string(buf, n > 0 ? static_cast<size_t>(n) : 0) == "hello\n");
      CHECK(child->reap(true));
      CHECK_FALSE(child->running());
      CHECK(child->exit_code() == 3);
    }
    SUBCASE("a signal ends it with 128 + signo") {
      ChildSpec spec{"sleep", {"/bin/sleep", "30"}, {}, -1, -1, -1};
      auto child = Child::spawn(spec);
      REQUIRE(child.ok());
      child->sample();
      CHECK(child->peak_rss_kb() > 0);
      CHECK_FALSE(child->reap(false));
      child->signal(SIGTERM);
      CHECK(child->reap(true));
      CHECK(child->exit_code() == 128 + SIGTERM);
    }
    SUBCASE("a program that does not exist") {
      ChildSpec spec{"nope", {"/nonexistent/m2g-nope"}, {}, -1, -1, -1};
      auto child = Child::spawn(spec);
      // posix_spawn may fail at once or the child may exit 127: either way it is no success.
      if (child.ok()) {
        CHECK(child->reap(true));
        CHECK(child->exit_code() == 127);
      }
    }
  }

  TEST_CASE("m2g::bench::find_binary") {
    CHECK(find_binary("sh").has_value());
    CHECK_FALSE(find_binary("m2g-no-such-tool-anywhere").has_value());
    CHECK_FALSE(self_dir().empty());
  }
}
