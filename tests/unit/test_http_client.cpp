#include "tests/unit/http_test.hpp"

#include "common/core/log.hpp"
#include "common/http/client.hpp"
#include "common/http/curl_library.hpp"
#include "common/http/plain_client.hpp"
#include "common/http/server.hpp"

#include <doctest/doctest.h>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

using namespace m2g;
using namespace m2g::http;
using m2g::test::fetch;
using m2g::test::run_until;

namespace {

// A fake server: /echo describes the request as JSON, /body echoes the body, /drop drops,
// /never holds the responder, /late answers after ?ms=.
struct Fake {
  explicit Fake(event::Loop& loop_) : loop(loop_), server(loop_, [this](Request&& r, Responder d) { handle(r, d); }) {
    REQUIRE(server.listen("127.0.0.1", 0).ok());
  }

  void handle(Request& request, const Responder& respond) {
    ++requests;
    if (request.path == "/echo") {
      nlohmann::json echo = {{"method", request.method},
                             {"path", request.path},
                             {"q", request.query_param("q")},
                             {"x_test", request.header("X-Test")},
                             {"transfer_encoding", request.header("Transfer-Encoding")},
                             {"expect", request.header("Expect")},
                             {"accept_encoding", request.header("Accept-Encoding")},
                             {"body", request.body}};
      std::string status = request.query_param("status");
      Response response = Response::json(status.empty() ? 200 : std::stoi(status), echo.dump());
      response.headers.push_back({"X-Reply", "yes"});
      respond(std::move(response));
    } else if (request.path == "/body") {
      respond(Response::text(200, std::move(request.body)));
    } else if (request.path == "/drop") {
      respond(Response::drop());
    } else if (request.path == "/never") {
      held.push_back(respond);
    } else if (request.path == "/late") {
      loop.after(Millis(std::stoi(request.query_param("ms"))), [this, respond] {
        respond(Response::text(200, "late"));
        ++late_answers;
      });
    } else {
      respond(Response::text(404, "no such path\n"));
    }
  }

  std::string url(const std::string& target) const {
    return "http://127.0.0.1:" + std::to_string(server.port()) + target;
  }

  event::Loop& loop;
  Server server;
  int requests = 0;
  int late_answers = 0;
  std::vector<Responder> held;
};

ClientRequest make(std::string method, std::string url, std::string body = "") {
  ClientRequest request;
  request.method = std::move(method);
  request.url = std::move(url);
  request.body = std::move(body);
  return request;
}

// The two clients take their in-flight cap in different option structs.
template <typename C> std::unique_ptr<C> new_client(event::Loop& loop, size_t max_inflight = 1000) {
  if constexpr (std::is_same_v<C, Client>) {
    ClientOptions options;
    options.max_inflight = max_inflight;
    return std::make_unique<C>(loop, options);
  } else {
    PlainClientOptions options;
    options.max_inflight = max_inflight;
    return std::make_unique<C>(loop, options);
  }
}

} // namespace

TEST_SUITE("http") {
  // Every behaviour a caller relies on holds for both clients.
  TEST_CASE_TEMPLATE("m2g::http::Client::send, PlainClient::send", C, Client, PlainClient) {
    event::Loop loop;
    Fake fake(loop);
    C client(loop);

    SUBCASE("carries method, path, query, headers and body both ways") {
      ClientRequest request = make("POST", fake.url("/echo?q=a%20b&status=201"), R"({"k":1})");
      request.headers = {"X-Test: hello", "Content-Type: application/json"};
      ClientResponse response = fetch(loop, client, std::move(request));
      CHECK(response.status == 201);
      CHECK_FALSE(response.transport_error());
      CHECK(response.curl_code == 0);
      CHECK(response.error.empty());
      CHECK(response.header("x-reply") == "yes");
      CHECK(response.header("Content-Type") == "application/json");
      auto echo = nlohmann::json::parse(response.body);
      CHECK(echo["method"] == "POST");
      CHECK(echo["path"] == "/echo");
      CHECK(echo["q"] == "a b");
      CHECK(echo["x_test"] == "hello");
      CHECK(echo["body"] == R"({"k":1})");
      CHECK(echo["expect"] == "");          // no 100-continue round trip
      CHECK(echo["accept_encoding"] == ""); // no compression asked for
    }
    SUBCASE("sends every method") {
      for (const char* method : {"GET", "PUT", "PATCH", "DELETE", "OPTIONS"}) {
        CAPTURE(method);
        ClientResponse response = fetch(loop, client, make(method, fake.url("/echo"), "b"));
        REQUIRE(response.status == 200);
        CHECK(nlohmann::json::parse(response.body)["method"] == method);
        CHECK(nlohmann::json::parse(response.body)["body"] == "b");
      }
      ClientResponse head = fetch(loop, client, make("HEAD", fake.url("/echo")));
      CHECK(head.status == 200);
      CHECK(head.body.empty());
    }
    SUBCASE("moves a 5 MB body both ways") {
      std::string big(5 << 20, 'x');
      for (size_t i = 0; i < big.size(); i += 4096) {
        big[i] = static_cast<char>('a' + (i / 4096) % 26);
      }
      ClientResponse response = fetch(loop, client, make("POST", fake.url("/body"), big));
      CHECK(response.status == 200);
      CHECK(response.body.size() == big.size());
      CHECK(response.body == big);
    }
    SUBCASE("sends a chunked body when asked to") {
      ClientRequest request = make("POST", fake.url("/echo"), std::string(100000, 'c'));
      request.headers = {"Transfer-Encoding: chunked"};
      ClientResponse response = fetch(loop, client, std::move(request));
      REQUIRE(response.status == 200);
      auto echo = nlohmann::json::parse(response.body);
      CHECK(echo["transfer_encoding"] == "chunked");
      CHECK(echo["body"] == std::string(100000, 'c'));
    }
    SUBCASE("passes status codes through") {
      CHECK(fetch(loop, client, make("GET", fake.url("/missing"))).status == 404);
      CHECK(fetch(loop, client, make("GET", fake.url("/echo?status=500"))).status == 500);
      ClientResponse none = fetch(loop, client, make("GET", fake.url("/echo?status=204")));
      CHECK(none.status == 204);
      CHECK(none.body.empty());
    }
    SUBCASE("never calls done inside send()") {
      bool called = false;
      client.send(make("GET", fake.url("/echo")), [&](ClientResponse&&) { called = true; });
      CHECK_FALSE(called);
      client.send(make("GET", "bogus://"), [&](ClientResponse&&) { called = true; });
      CHECK_FALSE(called);
      REQUIRE(run_until(loop, [&] { return called; }));
    }
    SUBCASE("reports Response::drop() as a transport error") {
      ClientResponse response = fetch(loop, client, make("GET", fake.url("/drop")));
      CHECK(response.transport_error());
      CHECK(response.curl_code != 0);
      CHECK_FALSE(response.error.empty());
    }
    SUBCASE("reports a timeout as a transport error") {
      ClientRequest request = make("GET", fake.url("/never"));
      request.timeout = Millis(100);
      ClientResponse response = fetch(loop, client, std::move(request));
      CHECK(response.transport_error());
      CHECK(response.curl_code == 28); // CURLE_OPERATION_TIMEDOUT
      CHECK(response.seconds >= 0.09);
      REQUIRE(run_until(loop, [&] { return fake.server.connections() == 0; }));
      fake.held.at(0)(Response::text(200, "too late")); // the client is gone: a no-op
    }
    SUBCASE("survives a client that gives up before the delayed answer") {
      ClientRequest request = make("GET", fake.url("/late?ms=200"));
      request.timeout = Millis(50);
      CHECK(fetch(loop, client, std::move(request)).curl_code == 28);
      REQUIRE(run_until(loop, [&] { return fake.late_answers == 1; }));
      CHECK(fake.server.connections() == 0);
      CHECK(fetch(loop, client, make("GET", fake.url("/echo"))).status == 200);
    }
    SUBCASE("reports a refused connection, with secrets redacted") {
      int port = 0;
      {
        Server closed(loop, [](Request&&, Responder) {});
        REQUIRE(closed.listen("127.0.0.1", 0).ok());
        port = closed.port();
      }
      log::add_secret("127.0.0.1 port " + std::to_string(port));
      ClientResponse response = fetch(loop, client, make("GET", "http://127.0.0.1:" + std::to_string(port) + "/x"));
      CHECK(response.transport_error());
      CHECK(response.curl_code == 7); // CURLE_COULDNT_CONNECT
      CHECK(response.error.find("***") != std::string::npos);
      CHECK(response.error.find("127.0.0.1 port") == std::string::npos);
    }
    SUBCASE("refuses URLs that are not http or https") {
      CHECK(fetch(loop, client, make("GET", "not a url")).curl_code != 0);
      ClientResponse file = fetch(loop, client, make("GET", "file:///etc/passwd"));
      CAPTURE(file.error);
      CHECK(file.curl_code == 1); // CURLE_UNSUPPORTED_PROTOCOL
    }
  }

  TEST_CASE_TEMPLATE("m2g::http::ClientOptions::max_inflight", C, Client, PlainClient) {
    event::Loop loop;
    int outstanding = 0;
    int peak = 0;
    Server server(loop, [&](Request&&, Responder respond) {
      peak = std::max(peak, ++outstanding);
      loop.after(Millis(10), [&, respond] {
        --outstanding;
        respond(Response::text(200, "ok"));
      });
    });
    REQUIRE(server.listen("127.0.0.1", 0).ok());
    std::unique_ptr<C> owned = new_client<C>(loop, 10);
    C& client = *owned;
    std::vector<int> order;
    for (int i = 0; i < 100; ++i) {
      client.send(make("GET", "http://127.0.0.1:" + std::to_string(server.port()) + "/"),
                  [&, i](ClientResponse&& response) { order.push_back(response.status == 200 ? i : -1); });
    }
    CHECK(client.in_flight() == 10);
    CHECK(client.queued() == 90);
    size_t peak_in_flight = 0;
    REQUIRE(run_until(loop, [&] {
      peak_in_flight = std::max(peak_in_flight, client.in_flight());
      return order.size() == 100;
    }));
    CHECK(peak == 10);
    CHECK(peak_in_flight == 10);
    CHECK(client.in_flight() == 0);
    CHECK(client.queued() == 0);
    CHECK(std::count(order.begin(), order.end(), -1) == 0);
  }

  TEST_CASE("m2g::http::ClientOptions::buffer_size") {
    event::Loop loop;
    Fake fake(loop);
    std::string big(200000, 'x');
    for (size_t i = 0; i < big.size(); i += 1000) {
      big[i] = static_cast<char>('a' + (i / 1000) % 26);
    }
    // 1 is below curl's minimum: clamped to 1 KiB, not refused.
    for (long size : {1L, 1024L, 2048L}) {
      CAPTURE(size);
      ClientOptions options;
      options.buffer_size = size;
      Client client(loop, options);
      // Several rounds: the later ones run on pooled, reset handles.
      for (int round = 0; round < 3; ++round) {
        CAPTURE(round);
        ClientResponse response = fetch(loop, client, make("POST", fake.url("/body"), big));
        REQUIRE(response.status == 200);
        CHECK(response.body == big);
        ClientRequest request = make("POST", fake.url("/echo"), std::string(3000, 'e'));
        request.headers = {"X-Test: " + std::string(1500, 'h')};
        ClientResponse echo = fetch(loop, client, std::move(request));
        REQUIRE(echo.status == 200);
        CHECK(echo.header("X-Reply") == "yes");
        auto json = nlohmann::json::parse(echo.body);
        CHECK(json["x_test"] == std::string(1500, 'h'));
        CHECK(json["body"] == std::string(3000, 'e'));
      }
    }
  }

  TEST_CASE("m2g::http::detail::open_curl_library") {
    SUBCASE("resolves every function from libcurl.so.4") {
      auto library = detail::open_curl_library(detail::k_curl_library);
      REQUIRE(library.ok());
      CHECK(library->version_info(CURLVERSION_NOW)->version_num >= 0x071000);
      CHECK(std::string(library->easy_strerror(CURLE_OPERATION_TIMEDOUT)) == "Timeout was reached");
    }
    SUBCASE("a missing library: 78, naming it and what needs it") {
      auto library = detail::open_curl_library("libm2g-no-such-curl.so.4");
      REQUIRE_FALSE(library.ok());
      CHECK(library.failure().exit_code == 78);
      CHECK(library.error().find("cannot load 'libm2g-no-such-curl.so.4'") == 0);
      CHECK(library.error().find("https://") != std::string::npos);
    }
    SUBCASE("a library that is not libcurl: names what it lacks") {
      auto library = detail::open_curl_library("libc.so.6");
      REQUIRE_FALSE(library.ok());
      CHECK(library.failure().exit_code == 78);
      CHECK(library.error().find("it lacks curl_global_init") != std::string::npos);
    }
  }

  TEST_CASE_TEMPLATE("m2g::http::Client::~Client", C, Client, PlainClient) {
    event::Loop loop;
    Fake fake(loop);
    SUBCASE("aborts running and queued transfers without calling back") {
      auto client = new_client<C>(loop, 2);
      int called = 0;
      for (int i = 0; i < 5; ++i) {
        client->send(make("GET", fake.url("/never")), [&](ClientResponse&&) { ++called; });
      }
      client->send(make("GET", "bogus://"), [&](ClientResponse&&) { ++called; });
      REQUIRE(run_until(loop, [&] { return fake.held.size() == 2; }));
      client.reset();
      REQUIRE(run_until(loop, [&] { return fake.server.connections() == 0; }));
      for (auto& respond : fake.held) {
        respond(Response::text(200, "nobody listens"));
      }
      loop.run_once(Millis(10));
      CHECK(called == 0);
    }
    SUBCASE("may run inside a done callback") {
      auto client = new_client<C>(loop);
      int called = 0;
      for (int i = 0; i < 3; ++i) {
        client->send(make("GET", fake.url("/echo")), [&](ClientResponse&&) {
          ++called;
          client.reset();
        });
      }
      REQUIRE(run_until(loop, [&] { return called > 0; }));
      loop.run_once(Millis(10));
      CHECK(called == 1);
    }
  }
}
