// EitherClient: which client each request goes out on (libcurl sends "Accept: */*", PlainClient
// sends no Accept header), --http-client's three values, and the proxy rule of auto.
#include "tests/unit/http_test.hpp"

#include "common/http/either_client.hpp"
#include "common/http/server.hpp"

#include <cstdlib>
#include <doctest/doctest.h>
#include <string>

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
