#include "common/commit/remote.hpp"
#include "common/net/repo_url.hpp"

#include <doctest/doctest.h>

using namespace m2g::net;

namespace {

bool accepted(std::string_view url, const AddressPolicy& policy = {}) {
  return check_chat_repo_url(url, policy).ok;
}

} // namespace

TEST_SUITE("net") {
  TEST_CASE("m2g::net::check_chat_repo_url") {
    SUBCASE("https URLs with a host and a path pass, with their host and port") {
      auto check = check_chat_repo_url("https://GitHub.com/me/notes.git", {});
      CHECK(check.ok);
      CHECK(check.host == "github.com");
      CHECK(check.port == 443);
      check = check_chat_repo_url("https://git.example.org:8443/me/notes", {});
      CHECK(check.ok);
      CHECK(check.port == 8443);
      check = check_chat_repo_url("https://[2606:4700::1]:444/me/notes", {});
      CHECK(check.ok);
      CHECK(check.host == "2606:4700::1");
      CHECK(check.port == 444);
    }
    SUBCASE("ssh, scp-like, upper-case, plain http and local URLs are refused with a reason") {
      for (std::string_view url :
           {"ssh://git@github.com/me/notes.git", "git@github.com:me/notes.git", "HTTPS://github.com/me/notes",
            "http://github.com/me/notes", "file:///etc", "/srv/notes.git", "ftp://x/y"}) {
        CAPTURE(url);
        auto check = check_chat_repo_url(url, {});
        CHECK_FALSE(check.ok);
        CHECK_FALSE(check.why.empty());
        CHECK_FALSE(check.has_credentials);
      }
      CHECK(check_chat_repo_url("HTTPS://github.com/me/notes", {}).why.find("lower case") != std::string::npos);
    }
    SUBCASE("credentials in the URL are refused and flagged") {
      auto check = check_chat_repo_url("https://me:secret@github.com/me/notes", {});
      CHECK_FALSE(check.ok);
      CHECK(check.has_credentials);
      CHECK(check_chat_repo_url("https://token@github.com/me/notes", {}).has_credentials);
    }
    SUBCASE("malformed hosts, ports and paths are refused") {
      for (std::string_view url :
           {"https://github.com", "https://github.com/", "https:///me/notes", "https://git hub.com/me/notes",
            "https://github.com:0/me/notes", "https://github.com:65536/me/notes", "https://github.com:x/me/notes",
            "https://github.com:/me/notes", "https://[::1/me/notes", "https://exa%6dple.com/me/notes",
            "https://a\x01.com/me/notes"}) {
        CAPTURE(url);
        CHECK_FALSE(accepted(url));
      }
      CHECK_FALSE(accepted("https://github.com/" + std::string(600, 'a')));
    }
    SUBCASE("numeric private hosts are refused unless the policy allows them") {
      CHECK_FALSE(accepted("https://127.0.0.1/me/notes"));
      CHECK_FALSE(accepted("https://127.1/me/notes"));
      CHECK_FALSE(accepted("https://[::1]:8443/me/notes"));
      CHECK_FALSE(accepted("https://169.254.169.254/latest/meta-data"));
      AddressPolicy open;
      open.allow_private = true;
      CHECK(accepted("https://127.0.0.1:8443/me/notes", open));
      CHECK(accepted("https://[::1]:8443/me/notes", open));
    }
    SUBCASE("an allow-list refuses every other host") {
      AddressPolicy listed;
      listed.allowed_hosts = {"gitea.lan"};
      CHECK(accepted("https://gitea.lan/me/notes", listed));
      CHECK_FALSE(accepted("https://github.com/me/notes", listed));
    }
  }

  // m2g-route's /repo and m2g-commit's job check call the same judge: what one accepts the
  // other does (the commit side also takes local paths when the operator allows them).
  TEST_CASE("m2g::commit::check_chat_remote") {
    for (std::string_view url :
         {"https://github.com/me/notes", "https://github.com:8443/me/notes", "ssh://git@github.com/me/notes",
          "git@github.com:me/notes.git", "HTTPS://github.com/me/notes", "https://me:pw@github.com/me/notes",
          "https://127.0.0.1/me/notes", "https://github.com"}) {
      CAPTURE(url);
      CHECK(m2g::commit::check_chat_remote(url, false).ok() == accepted(url));
    }
    CHECK(m2g::commit::check_chat_remote("/srv/notes.git", true).ok());
    CHECK_FALSE(m2g::commit::check_chat_remote("/srv/notes.git", false).ok());
  }
}
