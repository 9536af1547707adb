#include "common/core/log.hpp"

#include <algorithm>
#include <mutex>
#include <unistd.h>
#include <vector>

namespace m2g::log {
namespace {

struct State {
  std::string program = "m2g";
  Level level = Level::info;
  std::vector<std::string> secrets;
  std::mutex mutex; // stages are single-threaded; the fakes' worker threads may log too
};

State& state() {
  static State s;
  return s;
}

const char* level_name(Level level) {
  switch (level) {
  case Level::error:
    return "error";
  case Level::warn:
    return "warning";
  case Level::info:
    return "info";
  case Level::debug:
    return "debug";
  }
  return "?";
}

} // namespace

void set_program(std::string name) {
  auto slash = name.rfind('/');
  state().program = slash == std::string::npos ? std::move(name) : name.substr(slash + 1);
}

const std::string& program() {
  return state().program;
}

void set_level(Level level) {
  state().level = level;
}
Level level() {
  return state().level;
}

bool parse_level(std::string_view name, Level& out) {
  if (name == "error") {
    out = Level::error;
  } else if (name == "warn" || name == "warning") {
    out = Level::warn;
  } else if (name == "info") {
    out = Level::info;
  } else if (name == "debug") {
    out = Level::debug;
  } else {
    return false;
  }
  return true;
}

bool enabled(Level level) {
  return static_cast<int>(level) <= static_cast<int>(state().level);
}

bool add_secret(std::string secret) {
  // Very short strings would scrub ordinary words; a real token is never that short.
  if (secret.size() < 4) {
    return false;
  }
  std::lock_guard lock(state().mutex);
  // A token read again for every job would otherwise grow the list (and each redact()) forever.
  auto& secrets = state().secrets;
  if (std::find(secrets.begin(), secrets.end(), secret) != secrets.end()) {
    return false;
  }
  secrets.push_back(std::move(secret));
  return true;
}

void remove_secret(std::string_view secret) {
  std::lock_guard lock(state().mutex);
  auto& secrets = state().secrets;
  if (auto it = std::find(secrets.begin(), secrets.end(), secret); it != secrets.end()) {
    secrets.erase(it);
  }
}

std::string redact(std::string text) {
  std::lock_guard lock(state().mutex);
  for (const auto& secret : state().secrets) {
    for (auto pos = text.find(secret); pos != std::string::npos; pos = text.find(secret, pos + 3)) {
      text.replace(pos, secret.size(), "***");
    }
  }
  return text;
}

void write(Level lvl, std::string_view message) {
  if (!enabled(lvl)) {
    return;
  }
  std::string line = program() + ": " + level_name(lvl) + ": " + redact(std::string(message));
  for (auto& c : line) {
    if (c == '\n' || c == '\r') {
      c = ' ';
    }
  }
  line += '\n';
  // One write(2) per line keeps lines from concurrent processes on one stderr whole.
  const char* p = line.data();
  size_t left = line.size();
  while (left > 0) {
    ssize_t n = ::write(STDERR_FILENO, p, left);
    if (n <= 0) {
      return;
    }
    p += n;
    left -= static_cast<size_t>(n);
  }
}

} // namespace m2g::log
