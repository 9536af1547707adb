#include "tests/unit/scratch.hpp"

#include "common/core/error.hpp"
#include "common/core/private_process.hpp"
#include "common/core/secret.hpp"
#include "common/core/secret_file.hpp"

#include <cstdlib>
#include <doctest/doctest.h>
#include <fstream>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace m2g;

namespace {

void write(const std::string& path, const std::string& contents, mode_t mode) {
  std::ofstream(path, std::ios::binary) << contents;
  ::chmod(path.c_str(), mode);
}

// Run `body` in a child process (so what it does to the process stays there) and return its
// exit status.
template <typename Body> int in_child(Body body) {
  pid_t pid = ::fork();
  if (pid == 0) {
    ::_exit(body());
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

} // namespace

TEST_SUITE("core") {
  TEST_CASE("m2g::secret_file_exposure") {
    auto dir = test::fresh_dir("secret_file");
    SUBCASE("owner-only files pass") {
      write(dir + "/600", "t", 0600);
      write(dir + "/400", "t", 0400);
      CHECK_FALSE(secret_file_exposure(dir + "/600"));
      CHECK_FALSE(secret_file_exposure(dir + "/400"));
    }
    SUBCASE("any group or other bit is named with the mode and the fix") {
      for (mode_t mode : {0644, 0640, 0604, 0620, 0602, 0610}) {
        write(dir + "/f", "t", mode);
        auto problem = secret_file_exposure(dir + "/f");
        REQUIRE(problem);
        CHECK(problem->find("'" + dir + "/f'") != std::string::npos);
        CHECK(problem->find("chmod 600") != std::string::npos);
      }
    }
    SUBCASE("a missing file is left to the read") {
      CHECK_FALSE(secret_file_exposure(dir + "/none"));
    }
  }

  TEST_CASE("m2g::read_secret") {
    auto dir = test::fresh_dir("read_secret");
    SUBCASE("a token file readable by others is refused with 78, and its contents are not shown") {
      write(dir + "/token", "123456:very-secret-token\n", 0644);
      try {
        (void)read_secret("M2G_UNIT_NO_SUCH_VARIABLE", dir + "/token");
        FAIL("a world-readable token file was read");
      } catch (const Error& e) {
        CHECK(e.exit_code() == 78);
        CHECK(std::string(e.what()).find("very-secret") == std::string::npos);
      }
    }
    SUBCASE("a private token file is read") {
      write(dir + "/token", "123456:very-secret-token\n", 0600);
      CHECK(read_secret("M2G_UNIT_NO_SUCH_VARIABLE", dir + "/token") == "123456:very-secret-token");
    }
    SUBCASE("a process that reads a secret is no longer dumpable") {
      // In a child: the unit tests themselves stay dumpable (debuggers, sanitizers).
      int dumpable = in_child([] {
        ::prctl(PR_SET_DUMPABLE, 1, 0, 0, 0); // whatever an earlier case in this process did
        ::setenv("M2G_UNIT_SECRET", "s", 1);
        (void)read_secret("M2G_UNIT_SECRET", "");
        return ::prctl(PR_GET_DUMPABLE, 0, 0, 0, 0);
      });
      CHECK(dumpable == 0);
    }
  }

  TEST_CASE("m2g::make_files_private") {
    auto dir = test::fresh_dir("private_files");
    int modes = in_child([&] {
      ::umask(022);
      make_files_private();
      std::ofstream(dir + "/file") << "x";
      ::mkdir((dir + "/folder").c_str(), 0777);
      struct stat file {
      }, folder{};
      ::stat((dir + "/file").c_str(), &file);
      ::stat((dir + "/folder").c_str(), &folder);
      return ((file.st_mode & 0777) == 0600 && (folder.st_mode & 0777) == 0700) ? 0 : 1;
    });
    CHECK(modes == 0);
  }
}
