#include "common/queue/wake.hpp"

#include <cerrno>
#include <cstdio>
#include <fcntl.h>
#include <functional>
#include <sys/stat.h>
#include <unistd.h>

namespace m2g::queue {
namespace {

// Longer encoded names are cut and given a hash, so a file name never exceeds NAME_MAX.
constexpr size_t k_max_name = 120;

bool plain(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.';
}

std::string file_name(std::string_view topic) {
  std::string name;
  for (char c : topic) {
    if (plain(c)) {
      name += c;
    } else {
      char hex[4];
      std::snprintf(hex, sizeof hex, "%%%02X", static_cast<unsigned char>(c));
      name += hex;
    }
  }
  // "." and ".." are the folder itself and its parent, not files.
  if (name == "." || name == "..") {
    name = name == "." ? "%2E" : "%2E%2E";
  }
  if (name.size() > k_max_name) {
    char hash[24];
    std::snprintf(hash, sizeof hash, "~%016zx", std::hash<std::string_view>{}(topic));
    name = name.substr(0, k_max_name - 17) + hash;
  }
  return name;
}

} // namespace

std::string wake_path(const std::string& db_path, std::string_view topic) {
  return db_path + "-wake/" + file_name(topic);
}

int open_wake_file(const std::string& db_path, std::string_view topic) {
  std::string path = wake_path(db_path, topic);
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0 && errno == ENOENT) {
    // Modes as SQLite gives its own files: what the umask leaves.
    ::mkdir((db_path + "-wake").c_str(), 0700);
    fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
  }
  return fd;
}

WakeSender::~WakeSender() {
  for (auto& [topic, fd] : m_fds) {
    if (fd >= 0) {
      ::close(fd);
    }
  }
}

WakeSender::WakeSender(WakeSender&& other) noexcept
    : m_db_path(std::move(other.m_db_path)), m_fds(std::move(other.m_fds)) {
  other.m_fds.clear();
}

void WakeSender::wake(std::string_view topic) {
  auto it = m_fds.find(std::string(topic));
  if (it == m_fds.end()) {
    it = m_fds.emplace(std::string(topic), open_wake_file(m_db_path, topic)).first;
  }
  if (it->second >= 0) {
    // Rewriting the same byte keeps the file at one byte; inotify reports it as IN_MODIFY
    // (a write of nothing would not be reported at all).
    [[maybe_unused]] ssize_t n = ::pwrite(it->second, "\n", 1, 0);
  }
}

} // namespace m2g::queue
