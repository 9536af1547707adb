#include "common/commit/git_backend.hpp"

#include <doctest/doctest.h>

using m2g::commit::chat_facing_error;

TEST_SUITE("commit") {
  // What a chat reads when its repository's batch failed: libgit2's words could map the
  // operator's network port by port, so they stay in the log.
  TEST_CASE("m2g::commit::chat_facing_error") {
    SUBCASE("network detail becomes general words") {
      for (std::string detail : {"cannot clone the repository: cannot connect to 10.0.0.5:22: Connection refused",
                                 "cannot fetch: SSL error: 0xffff8d80 - SSL - The connection indicated an EOF",
                                 "cannot clone the repository: timed out after 60 s waiting to hear from gitea.lan"}) {
        CAPTURE(detail);
        std::string shown = chat_facing_error(detail, true);
        CHECK(shown.find("server's log") != std::string::npos);
        CHECK(shown.find("10.0.0.5") == std::string::npos);
        CHECK(shown.find("SSL") == std::string::npos);
        CHECK(shown.find("refused") == std::string::npos);
        CHECK(shown.find("gitea.lan") == std::string::npos);
      }
      CHECK(chat_facing_error("cannot push: HTTP 500", false).find("server's log") != std::string::npos);
    }
    SUBCASE("m2g's own refusals pass, from their first word") {
      CHECK(chat_facing_error("cannot clone the repository: the repository's address is not allowed on this server "
                              "(loopback)",
                              false) == "the repository's address is not allowed on this server (loopback)");
      CHECK(chat_facing_error("cannot fetch: the repository is larger than this server accepts (256 MB)", false) ==
            "the repository is larger than this server accepts (256 MB)");
      CHECK(chat_facing_error("cannot push: the remote refused the token", false) == "the remote refused the token");
    }
  }
}
