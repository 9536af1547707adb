#pragma once
// Helpers shared by unit tests: a fresh directory per test case, under the runner's scratch dir.

#include <atomic>
#include <filesystem>
#include <string>

namespace m2g::test {

/// A new empty directory for one test; its path is relative to the runner's scratch dir.
inline std::string fresh_dir(const std::string& name) {
  static std::atomic<int> counter{0};
  std::string dir = name + "-" + std::to_string(counter++);
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return std::filesystem::absolute(dir).string();
}

} // namespace m2g::test
