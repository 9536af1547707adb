#include "common/bench/fakes.hpp"

#include "common/core/exit_codes.hpp"

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <poll.h>
#include <string_view>
#include <unistd.h>

namespace m2g::bench {
namespace {

// Read the first line of `fd` within `timeout`; "" when none came (EOF or time is up).
std::string read_line(int fd, Millis timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  std::string line;
  while (true) {
    auto left = std::chrono::duration_cast<Millis>(deadline - std::chrono::steady_clock::now()).count();
    if (left <= 0) {
      return "";
    }
    pollfd pfd{fd, POLLIN, 0};
    int ready = ::poll(&pfd, 1, static_cast<int>(left));
    if (ready < 0 && errno == EINTR) {
      continue;
    }
    if (ready <= 0) {
      return "";
    }
    char c = 0;
    ssize_t n = ::read(fd, &c, 1);
    if (n <= 0) {
      return "";
    }
    if (c == '\n') {
      return line;
    }
    line += c;
  }
}

} // namespace

Result<FakeServer> start_fake(const std::string& self, const std::string& name, const std::vector<std::string>& args,
                              int stderr_fd, Millis timeout) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) {
    return fail(exit_code::k_software, "pipe: " + std::string(std::strerror(errno)));
  }
  ChildSpec spec;
  spec.name = "fake " + name;
  spec.argv = {self, "fake", name, "--port", "0"};
  spec.argv.insert(spec.argv.end(), args.begin(), args.end());
  spec.stdout_fd = fds[1];
  spec.stderr_fd = stderr_fd;
  auto child = Child::spawn(spec);
  ::close(fds[1]);
  if (!child) {
    ::close(fds[0]);
    return child.failure();
  }
  std::string line = read_line(fds[0], timeout);
  ::close(fds[0]);
  FakeServer fake{name, std::move(*child), 0};
  try {
    fake.port = std::stoi(line);
  } catch (const std::exception&) {
    fake.port = 0;
  }
  if (fake.port <= 0) {
    fake.child.signal(SIGKILL);
    fake.child.reap(true);
    return fail(exit_code::k_unavailable, "the fake " + name + " did not report its port (exit " +
                                              std::to_string(fake.child.exit_code()) + "); see its log");
  }
  return fake;
}

int run_quietly(const std::vector<std::string>& argv, int stdout_fd) {
  ChildSpec spec;
  spec.name = argv.empty() ? "" : argv[0];
  spec.argv = argv;
  // posix_spawn does not search PATH.
  if (!argv.empty() && argv[0].find('/') == std::string::npos) {
    auto path = find_binary(argv[0]);
    if (!path) {
      return 127;
    }
    spec.argv[0] = *path;
  }
  spec.stdout_fd = stdout_fd;
  int null_fd = ::open("/dev/null", O_WRONLY | O_CLOEXEC);
  spec.stderr_fd = null_fd;
  auto child = Child::spawn(spec);
  if (null_fd >= 0) {
    ::close(null_fd);
  }
  if (!child) {
    return 127;
  }
  child->reap(true);
  return child->exit_code();
}

bool has_fake(const std::string& self, const std::string& name) {
  // `fake NAME --help` exits 0 even for an unknown NAME (CLI11 shows fake's help), so the
  // subcommand list of `fake --help` is read instead.
  std::FILE* out = std::tmpfile();
  if (out == nullptr) {
    return false;
  }
  bool found = false;
  if (run_quietly({self, "fake", "--help"}, ::fileno(out)) == 0) {
    std::rewind(out);
    char line[512];
    while (!found && std::fgets(line, sizeof line, out) != nullptr) {
      std::string_view text(line);
      size_t start = text.find_first_not_of(' ');
      found = start == 2 && text.substr(2, name.size()) == name &&
              (text.size() == 2 + name.size() || text[2 + name.size()] == ' ' || text[2 + name.size()] == '\n');
    }
  }
  std::fclose(out);
  return found;
}

} // namespace m2g::bench
