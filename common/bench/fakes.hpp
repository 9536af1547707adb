#pragma once
// The fake servers of a run, each a child process `m2g-bench fake NAME --port 0 ...`: started,
// asked for the port it picked (the first line it prints on stdout), and stopped with SIGTERM.

#include "common/bench/process.hpp"
#include "common/core/clock.hpp"
#include "common/core/error.hpp"

#include <string>
#include <vector>

namespace m2g::bench {

struct FakeServer {
  std::string name; ///< "telegram", "llm", "github"
  Child child;
  int port = 0;
  /// "http://127.0.0.1:PORT".
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port); }
};

/// Start `self fake NAME --port 0 ARGS...`, its stderr to `stderr_fd`, and wait (at most
/// `timeout`) for the port line. Fails with what the fake said when it exits first.
Result<FakeServer> start_fake(const std::string& self, const std::string& name, const std::vector<std::string>& args,
                              int stderr_fd, Millis timeout);

/// True when this m2g-bench has `fake NAME` (`self fake NAME --help` exits 0).
bool has_fake(const std::string& self, const std::string& name);

/// Run a program to its end (stdout and stderr to /dev/null unless given); its exit code.
int run_quietly(const std::vector<std::string>& argv, int stdout_fd = -1);

} // namespace m2g::bench
