#pragma once
// The stage processes of a benchmark run: spawned with posix_spawn (argv, extra environment
// such as tokens, stdin/stdout/stderr fds), their peak memory sampled from /proc/PID/status
// (VmHWM, a high-water mark: a peak between two samples shows in the next one) while they
// run. Not ru_maxrss: see Child::reap().

#include "common/core/error.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <sys/types.h>
#include <vector>

namespace m2g::bench {

struct ChildSpec {
  std::string name;              ///< for reports and errors ("m2g-route")
  std::vector<std::string> argv; ///< argv[0] is the program's path
  std::vector<std::string> env;  ///< "NAME=value" added to (or replacing in) the environment
  int stdin_fd = -1;             ///< -1: /dev/null
  int stdout_fd = -1;            ///< -1: /dev/null
  int stderr_fd = -1;            ///< -1: inherit
};

class Child {
public:
  /// Start the process. The fds in `spec` are dup'ed onto 0, 1, 2 in the child; the caller
  /// still owns (and should close) its copies.
  static Result<Child> spawn(const ChildSpec& spec);

  const std::string& name() const { return m_name; }
  pid_t pid() const { return m_pid; }
  bool running() const { return !m_exited; }
  /// The exit code (128 + signal when killed by one); valid once !running().
  int exit_code() const { return m_exit_code; }
  /// The highest resident set size seen, in KiB.
  long peak_rss_kb() const { return m_peak_kb; }
  /// User + system CPU seconds the process used; valid once !running().
  double cpu_s() const { return m_cpu_s; }

  /// Read VmHWM now (no-op once the process has exited).
  void sample();
  /// Reap the process if it has exited (or wait for it when `block`); true once exited.
  bool reap(bool block = false);
  /// Send `signo` (SIGTERM by default) if it still runs.
  void signal(int signo);

private:
  std::string m_name;
  pid_t m_pid = -1;
  bool m_exited = false;
  int m_exit_code = -1;
  long m_peak_kb = 0;
  double m_cpu_s = 0;
};

/// The value in KiB of `field` ("VmHWM") in the text of a /proc/PID/status file.
std::optional<long> status_field_kb(std::string_view status_text, std::string_view field);

/// The directory of the running executable (from /proc/self/exe), "" if unknown.
std::string self_dir();

/// `name` next to the running executable, else on PATH; nullopt when it is in neither.
std::optional<std::string> find_binary(const std::string& name);

/// The 1-minute load average from /proc/loadavg (0 if unreadable).
double load_average();

} // namespace m2g::bench
