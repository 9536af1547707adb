// The unit-test runner: each test runs in a fresh scratch directory, kept when a test fails
// so its databases and repositories can be inspected (as ccache's unittest/main.cpp does).
#define DOCTEST_CONFIG_IMPLEMENT
#include "tests/unit/scratch.hpp"

#include <cstdlib>
#include <doctest/doctest.h>
#include <filesystem>
#include <iostream>
#include <unistd.h>

int main(int argc, char** argv) {
  namespace fs = std::filesystem;
  char tmpl[] = "/tmp/m2g-unit-XXXXXX";
  const char* dir = mkdtemp(tmpl);
  if (!dir) {
    std::perror("mkdtemp");
    return 1;
  }
  fs::path original = fs::current_path();
  fs::current_path(dir);
  doctest::Context context(argc, argv);
  int rc = context.run();
  fs::current_path(original);
  if (rc == 0) {
    fs::remove_all(dir);
  } else {
    std::cerr << "unit: scratch directory kept: " << dir << "\n";
  }
  return rc;
}
