// EitherClient: which client each request goes out on (libcurl sends "Accept: */*", PlainClient
// sends no Accept header), --http-client's three values, and the proxy rule of auto.
#include "tests/unit/http_test.hpp"

#include "common/http/either_client.hpp"
#include "common/http/server.hpp"

#include <climits>
#include <cstdio>
#include <cstdlib>
#include <doctest/doctest.h>
#include <filesystem>
#include <fstream>
#include <string>
#include <unistd.h>

using namespace m2g;
using namespace m2g::http;
using m2g::test::fetch;

namespace {

struct AcceptRecorder {
  explicit AcceptRecorder(event::Loop& loop)
      : server(loop, [this](Request&& request, Responder respond) {
          accept_headers.push_back(std::string(request.header("Accept")));
          respond(Response::text(200, "ok"));
        }) {
    REQUIRE(server.listen("127.0.0.1", 0).ok());
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(server.port()) + "/"; }
  Server server;
  std::vector<std::string> accept_headers;
};

// Whether this process has libcurl mapped (/proc/self/maps), whoever loaded it.
bool maps_libcurl() {
  std::ifstream maps("/proc/self/maps");
  std::string line;
  while (std::getline(maps, line)) {
    if (line.find("/libcurl.so") != std::string::npos) {
      return true;
    }
  }
  return false;
}

// Runs this unit binary's test case `name` again, alone in a new process, so that no earlier
// case has loaded anything into it; true when it ran there and passed. M2G_TEST_ALONE names a
// file the case creates once it has run, so a name doctest does not match cannot pass unseen.
bool passes_alone(const std::string& name) {
  char exe[PATH_MAX] = {};
  REQUIRE(::readlink("/proc/self/exe", exe, sizeof exe - 1) > 0);
  // Absolute: the child works in a scratch directory of its own.
  std::string marker = std::filesystem::current_path() / ("ran-alone." + std::to_string(::getpid()));
  std::string command = "M2G_TEST_ALONE='" + marker + "' '" + exe + "' --test-case='" + name + "' >&2";
  bool passed = std::system(command.c_str()) == 0;
  bool ran = std::ifstream(marker).good();
  std::remove(marker.c_str());
  CHECK(ran);
  return passed && ran;
}

// Sets an environment variable for one test case and restores its absence afterwards.
struct ScopedEnv {
  ScopedEnv(const char* name, const char* value) : m_name(name) { ::setenv(name, value, 1); }
  ~ScopedEnv() { ::unsetenv(m_name); }
  const char* m_name;
};

} // namespace

TEST_CASE("auto sends plain http:// on PlainClient, curl on libcurl") {
  event::Loop loop;
  AcceptRecorder server(loop);
  EitherClient automatic(loop, "auto");
  EitherClient curl(loop, "curl");
  CHECK(fetch(loop, automatic, server.url()).status == 200);
  CHECK(fetch(loop, curl, server.url()).status == 200);
  REQUIRE(server.accept_headers.size() == 2);
  CHECK(server.accept_headers[0].empty());
  CHECK(server.accept_headers[1] == "*/*");
}

TEST_CASE("auto leaves a URL with credentials to libcurl, plain refuses https://") {
  event::Loop loop;
  AcceptRecorder server(loop);
  std::string with_user = "http://user:pw@127.0.0.1:" + std::to_string(server.server.port()) + "/";
  EitherClient automatic(loop, "auto");
  CHECK(fetch(loop, automatic, with_user).status == 200);
  REQUIRE(server.accept_headers.size() == 1);
  CHECK(server.accept_headers[0] == "*/*");

  EitherClient plain(loop, "plain");
  auto refused = fetch(loop, plain, "https://127.0.0.1:1/");
  CHECK(refused.status == 0);
  CHECK(refused.curl_code == 1);
}

TEST_CASE("a proxy in the environment turns auto to libcurl, which honours it") {
  CHECK(use_plain_client("auto", "http://127.0.0.1:8081/"));
  CHECK_FALSE(use_plain_client("curl", "http://127.0.0.1:8081/"));
  CHECK(use_plain_client("plain", "https://api.telegram.org/"));
  ScopedEnv proxy("http_proxy", "http://127.0.0.1:3128");
  CHECK(proxy_configured());
  CHECK_FALSE(use_plain_client("auto", "http://127.0.0.1:8081/"));
  CHECK(use_plain_client("plain", "http://127.0.0.1:8081/"));
}

TEST_CASE("EitherClient loads libcurl at the first request that needs it and not before") {
  const char* alone = std::getenv("M2G_TEST_ALONE");
  if (alone == nullptr) {
    CHECK(passes_alone("EitherClient loads libcurl at the first request that needs it and not before"));
    return;
  }
  std::ofstream{alone} << "ran\n";
  REQUIRE_FALSE(maps_libcurl()); // not linked: nothing maps it at start
  event::Loop loop;
  AcceptRecorder server(loop);
  EitherClient automatic(loop, "auto");
  for (int i = 0; i < 3; ++i) {
    CHECK(fetch(loop, automatic, server.url()).status == 200);
  }
  CHECK_FALSE(maps_libcurl()); // plain http:// went out on PlainClient
  std::string with_user = "http://user:pw@127.0.0.1:" + std::to_string(server.server.port()) + "/";
  CHECK(fetch(loop, automatic, with_user).status == 200);
  CHECK(maps_libcurl());
  CHECK(server.accept_headers.back() == "*/*"); // and libcurl sent it
}
