#include "common/bench/process.hpp"

#include "common/core/exit_codes.hpp"

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <map>
#include <spawn.h>
#include <sstream>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace m2g::bench {
namespace {

double seconds(const struct timeval& tv) {
  return static_cast<double>(tv.tv_sec) + tv.tv_usec / 1e6;
}

bool executable(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode) && ::access(path.c_str(), X_OK) == 0;
}

// The current environment with `extra` added or replacing entries of the same name.
std::vector<std::string> merged_env(const std::vector<std::string>& extra) {
  std::map<std::string, std::string> vars;
  for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
    std::string entry = *e;
    vars[entry.substr(0, entry.find('='))] = entry;
  }
  for (const auto& entry : extra) {
    vars[entry.substr(0, entry.find('='))] = entry;
  }
  std::vector<std::string> out;
  out.reserve(vars.size());
  for (auto& [name, entry] : vars) {
    out.push_back(std::move(entry));
  }
  return out;
}

} // namespace

Result<Child> Child::spawn(const ChildSpec& spec) {
  if (spec.argv.empty()) {
    return fail(exit_code::k_software, "spawn " + spec.name + ": no program");
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  auto route = [&](int fd, int target, int null_flags) {
    if (fd >= 0) {
      posix_spawn_file_actions_adddup2(&actions, fd, target);
    } else if (null_flags >= 0) {
      posix_spawn_file_actions_addopen(&actions, target, "/dev/null", null_flags, 0);
    }
  };
  route(spec.stdin_fd, 0, O_RDONLY);
  route(spec.stdout_fd, 1, O_WRONLY);
  route(spec.stderr_fd, 2, -1);

  // Children start with default signal dispositions and an empty mask: the driver blocks
  // SIGTERM for its signalfd, and a stage must still be able to receive it.
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  sigset_t none;
  sigset_t all;
  sigemptyset(&none);
  sigfillset(&all);
  posix_spawnattr_setsigmask(&attr, &none);
  posix_spawnattr_setsigdefault(&attr, &all);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);

  std::vector<char*> argv;
  for (const auto& arg : spec.argv) {
    argv.push_back(const_cast<char*>(arg.c_str()));
  }
  argv.push_back(nullptr);
  std::vector<std::string> env_strings = merged_env(spec.env);
  std::vector<char*> envp;
  for (auto& entry : env_strings) {
    envp.push_back(entry.data());
  }
  envp.push_back(nullptr);

  pid_t pid = -1;
  int rc = posix_spawn(&pid, spec.argv[0].c_str(), &actions, &attr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  if (rc != 0) {
    return fail(exit_code::k_unavailable, "cannot start " + spec.argv[0] + ": " + std::strerror(rc));
  }
  Child child;
  child.m_name = spec.name;
  child.m_pid = pid;
  child.sample();
  return child;
}

void Child::sample() {
  if (m_exited) {
    return;
  }
  std::ifstream file("/proc/" + std::to_string(m_pid) + "/status");
  std::stringstream text;
  text << file.rdbuf();
  if (auto kb = status_field_kb(text.str(), "VmHWM"); kb && *kb > m_peak_kb) {
    m_peak_kb = *kb;
  }
}

bool Child::reap(bool block) {
  if (m_exited) {
    return true;
  }
  int status = 0;
  struct rusage usage {};
  pid_t got;
  do {
    got = ::wait4(m_pid, &status, block ? 0 : WNOHANG, &usage);
  } while (got < 0 && errno == EINTR);
  if (got != m_pid) {
    return false;
  }
  m_exited = true;
  // Not ru_maxrss: exec copies the high-water mark of the memory the child had before it,
  // and a posix_spawn child shares m2g-bench's own, so every stage would report at least
  // m2g-bench's peak (~14 MB). The VmHWM samples, the last taken before SIGTERM, are the peak.
  m_exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  // CPU time, unlike ru_maxrss, starts from zero at exec and counts only the stage's own work.
  m_cpu_s = seconds(usage.ru_utime) + seconds(usage.ru_stime);
  return true;
}

void Child::signal(int signo) {
  if (!m_exited && m_pid > 0) {
    ::kill(m_pid, signo);
  }
}

std::optional<long> status_field_kb(std::string_view status_text, std::string_view field) {
  size_t pos = 0;
  while (pos < status_text.size()) {
    size_t end = status_text.find('\n', pos);
    std::string_view line = status_text.substr(pos, end == std::string_view::npos ? std::string_view::npos : end - pos);
    if (line.size() > field.size() && line.substr(0, field.size()) == field && line[field.size()] == ':') {
      std::string rest(line.substr(field.size() + 1));
      char* after = nullptr;
      long value = std::strtol(rest.c_str(), &after, 10);
      if (after == rest.c_str()) {
        return std::nullopt;
      }
      std::string unit = after;
      unit.erase(0, unit.find_first_not_of(" \t"));
      if (unit.rfind("kB", 0) == 0 || unit.empty()) {
        return value;
      }
      if (unit.rfind("mB", 0) == 0 || unit.rfind("MB", 0) == 0) {
        return value * 1024;
      }
      return std::nullopt;
    }
    if (end == std::string_view::npos) {
      break;
    }
    pos = end + 1;
  }
  return std::nullopt;
}

std::string self_dir() {
  char buf[4096];
  ssize_t n = ::readlink("/proc/self/exe", buf, sizeof buf - 1);
  if (n <= 0) {
    return "";
  }
  std::string path(buf, static_cast<size_t>(n));
  return path.substr(0, path.rfind('/'));
}

std::optional<std::string> find_binary(const std::string& name) {
  if (std::string dir = self_dir(); !dir.empty() && executable(dir + "/" + name)) {
    return dir + "/" + name;
  }
  const char* path = std::getenv("PATH");
  std::stringstream dirs(path != nullptr ? path : "");
  std::string dir;
  while (std::getline(dirs, dir, ':')) {
    if (!dir.empty() && executable(dir + "/" + name)) {
      return dir + "/" + name;
    }
  }
  return std::nullopt;
}

double load_average() {
  std::ifstream file("/proc/loadavg");
  double load = 0;
  file >> load;
  return file ? load : 0.0;
}

} // namespace m2g::bench
