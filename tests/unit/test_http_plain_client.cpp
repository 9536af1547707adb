// What PlainClient does beyond what it shares with Client (tests/unit/test_http_client.cpp):
// keep-alive reuse, a fresh connection when an idle one turns out closed, and the response
// framings the common Server never sends.
#include "tests/unit/http_test.hpp"

#include "common/http/plain_client.hpp"
#include "common/http/server.hpp"
#include "common/http/socket.hpp"

#include <doctest/doctest.h>
#include <optional>
#include <string>
#include <sys/socket.h>
#include <unistd.h>
#include <vector>

using namespace m2g;
using namespace m2g::http;
using m2g::test::fetch;
using m2g::test::run_until;

namespace {

// A server that answers each request with scripted bytes and, if asked, closes after it: for
// framings (chunked, close-delimited, garbage) that http::Server never produces.
class ScriptedServer {
public:
  ScriptedServer(event::Loop& loop, std::string answer, bool close_after)
      : m_loop(loop), m_answer(std::move(answer)), m_close_after(close_after) {
    auto fd = listen_socket("127.0.0.1", 0, 16);
    REQUIRE(fd.ok());
    m_listener = fd.value();
    m_loop.watch(m_listener, event::k_readable, [this](uint32_t) { accept_one(); });
  }
  ~ScriptedServer() {
    for (int fd : m_clients) {
      m_loop.unwatch(fd);
      ::close(fd);
    }
    m_loop.unwatch(m_listener);
    ::close(m_listener);
  }
  int port() const { return local_port(m_listener); }
  int accepted = 0;

private:
  void accept_one() {
    int fd = ::accept4(m_listener, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0) {
      return;
    }
    ++accepted;
    m_clients.push_back(fd);
    m_loop.watch(fd, event::k_readable, [this, fd](uint32_t) { serve(fd); });
  }
  void serve(int fd) {
    char buffer[4096];
    ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
    if (n <= 0) {
      forget(fd);
      return;
    }
    m_request.append(buffer, static_cast<size_t>(n));
    if (m_request.find("\r\n\r\n") == std::string::npos) {
      return;
    }
    m_request.clear();
    REQUIRE(::send(fd, m_answer.data(), m_answer.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(m_answer.size()));
    if (m_close_after) {
      forget(fd);
    }
  }
  void forget(int fd) {
    m_loop.unwatch(fd);
    ::close(fd);
    m_clients.erase(std::find(m_clients.begin(), m_clients.end(), fd));
  }

  event::Loop& m_loop;
  std::string m_answer;
  bool m_close_after;
  int m_listener = -1;
  std::vector<int> m_clients;
  std::string m_request;
};

} // namespace

TEST_SUITE("http") {
  TEST_CASE("m2g::http::plain_client_can_send") {
    CHECK(plain_client_can_send("http://127.0.0.1:8080/v1/chat/completions"));
    CHECK(plain_client_can_send("HTTP://localhost/v1"));
    CHECK(plain_client_can_send("http://[::1]:11434/v1"));
    CHECK(plain_client_can_send("http://host?x=1"));
    CHECK_FALSE(plain_client_can_send("https://api.openai.com/v1"));
    CHECK_FALSE(plain_client_can_send("http://user:secret@host/v1")); // credentials: Client's job
    CHECK_FALSE(plain_client_can_send("http://host:port/"));
    CHECK_FALSE(plain_client_can_send("http://:80/"));
    CHECK_FALSE(plain_client_can_send("http://[::1/"));
    CHECK_FALSE(plain_client_can_send("ftp://host/"));
  }

  TEST_CASE("m2g::http::PlainClient keeps connections alive") {
    event::Loop loop;
    ServerOptions server_options;
    server_options.idle_timeout = Millis(60000);
    Server server(
        loop, [](Request&& request, Responder respond) { respond(Response::text(200, request.path)); }, server_options);
    REQUIRE(server.listen("127.0.0.1", 0).ok());
    std::string base = "http://127.0.0.1:" + std::to_string(server.port());
    PlainClient client(loop);

    SUBCASE("one connection serves requests one after another") {
      for (const char* path : {"/a", "/b", "/c"}) {
        ClientResponse response = fetch(loop, client, base + path);
        CHECK(response.status == 200);
        CHECK(response.body == path);
      }
      CHECK(client.connections_opened() == 1);
      CHECK(server.accepted_total() == 1);
    }
  }

  TEST_CASE("m2g::http::PlainClient retries a stale idle connection on a fresh one") {
    event::Loop loop;
    ServerOptions server_options;
    server_options.idle_timeout = Millis(50); // the server drops idle connections quickly
    Server server(
        loop, [](Request&& request, Responder respond) { respond(Response::text(200, request.path)); }, server_options);
    REQUIRE(server.listen("127.0.0.1", 0).ok());
    std::string base = "http://127.0.0.1:" + std::to_string(server.port());
    PlainClient client(loop);
    CHECK(fetch(loop, client, base + "/one").body == "/one");
    REQUIRE(run_until(loop, [&] { return server.connections() == 0; })); // the server hung up
    ClientResponse response = fetch(loop, client, base + "/two");
    CHECK(response.status == 200);
    CHECK(response.body == "/two");
    CHECK(client.connections_opened() == 2);
    CHECK(server.accepted_total() == 2);
  }

  TEST_CASE("m2g::http::PlainClient closes connections idle longer than idle_timeout") {
    event::Loop loop;
    Server server(loop, [](Request&&, Responder respond) { respond(Response::text(200, "ok")); });
    REQUIRE(server.listen("127.0.0.1", 0).ok());
    PlainClientOptions options;
    options.idle_timeout = Millis(30);
    PlainClient client(loop, options);
    CHECK(fetch(loop, client, "http://127.0.0.1:" + std::to_string(server.port()) + "/").status == 200);
    CHECK(server.connections() == 1);
    CHECK(run_until(loop, [&] { return server.connections() == 0; }));
  }

  TEST_CASE("m2g::http::PlainClient times requests out in the order of their deadlines") {
    // One timer serves every request (a heap of deadlines), however they were sent.
    event::Loop loop;
    std::vector<Responder> unanswered;
    Server server(loop, [&](Request&&, Responder respond) { unanswered.push_back(std::move(respond)); });
    REQUIRE(server.listen("127.0.0.1", 0).ok());
    PlainClient client(loop);
    std::vector<int> order;
    for (int ms : {400, 100, 300, 200}) {
      ClientRequest request;
      request.url = "http://127.0.0.1:" + std::to_string(server.port()) + "/";
      request.timeout = Millis(ms);
      client.send(std::move(request), [&order, ms](ClientResponse&& response) {
        CHECK(response.curl_code == 28);
        order.push_back(ms);
      });
    }
    REQUIRE(run_until(loop, [&] { return order.size() == 4; }));
    CHECK(order == std::vector<int>{100, 200, 300, 400});
    CHECK(client.in_flight() == 0);
  }

  TEST_CASE("m2g::http::PlainClient reads every framing") {
    event::Loop loop;
    SUBCASE("chunked, kept alive") {
      ScriptedServer server(loop, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n", false);
      PlainClient client(loop);
      std::string url = "http://127.0.0.1:" + std::to_string(server.port()) + "/";
      CHECK(fetch(loop, client, url).body == "abc");
      CHECK(fetch(loop, client, url).body == "abc");
      CHECK(server.accepted == 1);
    }
    SUBCASE("a body that ends with the connection") {
      ScriptedServer server(loop, "HTTP/1.0 200 OK\r\n\r\nto the end", true);
      PlainClient client(loop);
      std::string url = "http://127.0.0.1:" + std::to_string(server.port()) + "/";
      CHECK(fetch(loop, client, url).body == "to the end");
      CHECK(fetch(loop, client, url).body == "to the end");
      CHECK(server.accepted == 2);
    }
    SUBCASE("garbage is a transport error") {
      ScriptedServer server(loop, "SSH-2.0-OpenSSH_9.2\r\n\r\n", true);
      PlainClient client(loop);
      ClientResponse response = fetch(loop, client, "http://127.0.0.1:" + std::to_string(server.port()) + "/");
      CHECK(response.transport_error());
      CHECK(response.curl_code == 8);
      CHECK(response.error.find("not an HTTP response") != std::string::npos);
    }
    SUBCASE("a connection closed without a byte is an empty reply") {
      ScriptedServer server(loop, "", true);
      PlainClient client(loop);
      ClientResponse response = fetch(loop, client, "http://127.0.0.1:" + std::to_string(server.port()) + "/");
      CHECK(response.curl_code == 52);
      CHECK(response.error == "empty reply from server");
    }
  }
}
