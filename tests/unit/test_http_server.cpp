#include "tests/unit/http_test.hpp"

#include "common/http/client.hpp"
#include "common/http/server.hpp"

#include <chrono>
#include <doctest/doctest.h>
#include <memory>
#include <string>
#include <vector>

using namespace m2g;
using namespace m2g::http;
using m2g::test::count_of;
using m2g::test::RawClient;
using m2g::test::run_until;

namespace {

// Answers "<method> <path> <body>" at once, or after ?delay=ms on a loop timer.
Handler echo_handler(event::Loop& loop) {
  return [&loop](Request&& request, Responder respond) {
    Response response = Response::text(200, request.method + " " + request.path + " " + request.body);
    int delay = request.query_param("delay").empty() ? 0 : std::stoi(request.query_param("delay"));
    if (delay == 0) {
      respond(std::move(response));
      return;
    }
    loop.after(Millis(delay), [respond, response]() mutable { respond(std::move(response)); });
  };
}

// Run the loop for `duration` of wall time (run_once returns early whenever an event comes).
void pump(event::Loop& loop, Millis duration) {
  auto end = std::chrono::steady_clock::now() + duration;
  while (std::chrono::steady_clock::now() < end) {
    loop.run_once(Millis(5));
  }
}

std::string url(const Server& server, const std::string& target) {
  return "http://127.0.0.1:" + std::to_string(server.port()) + target;
}

} // namespace

TEST_SUITE("http") {
  TEST_CASE("m2g::http::Server::listen") {
    event::Loop loop;
    Server server(loop, echo_handler(loop));
    CHECK(server.port() == -1);
    REQUIRE(server.listen("127.0.0.1", 0).ok());
    CHECK(server.port() > 0);
    SUBCASE("refuses a port already listened on") {
      Server other(loop, echo_handler(loop));
      Result<void> result = other.listen("127.0.0.1", server.port());
      REQUIRE_FALSE(result.ok());
      CHECK(result.error().find("cannot listen on '127.0.0.1:") == 0);
    }
    SUBCASE("refuses a second listen") {
      CHECK_FALSE(server.listen("127.0.0.1", 0).ok());
    }
  }

  TEST_CASE("m2g::http::Server") {
    event::Loop loop;
    ServerOptions options;
    options.max_body_bytes = 1000;
    options.max_header_bytes = 2000;
    Server server(loop, echo_handler(loop), options);
    REQUIRE(server.listen("127.0.0.1", 0).ok());
    RawClient raw(loop, server.port());
    REQUIRE(raw.connected());

    SUBCASE("answers with Content-Length and keeps the connection open") {
      raw.send("GET /a HTTP/1.1\r\nHost: x\r\n\r\n");
      REQUIRE(run_until(loop, [&] { return raw.received().find("GET /a ") != std::string::npos; }));
      CHECK(raw.received() ==
            "HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 7\r\n\r\nGET /a ");
      raw.send("POST /b HTTP/1.1\r\nContent-Length: 3\r\n\r\nxyz");
      REQUIRE(run_until(loop, [&] { return count_of(raw.received(), "HTTP/1.1 200") == 2; }));
      CHECK(raw.received().find("POST /b xyz") != std::string::npos);
      CHECK_FALSE(raw.closed());
      CHECK(server.connections() == 1);
    }
    SUBCASE("answers pipelined requests strictly in order") {
      raw.send("GET /slow?delay=100 HTTP/1.1\r\n\r\nGET /fast HTTP/1.1\r\n\r\nGET /last?delay=1 HTTP/1.1\r\n\r\n");
      REQUIRE(run_until(loop, [&] { return count_of(raw.received(), "HTTP/1.1 200") == 3; }));
      size_t slow = raw.received().find("GET /slow");
      size_t fast = raw.received().find("GET /fast");
      size_t last = raw.received().find("GET /last");
      CHECK(slow < fast);
      CHECK(fast < last);
    }
    SUBCASE("decodes a chunked request body") {
      raw.send("POST /c HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n");
      REQUIRE(run_until(loop, [&] { return raw.received().find("POST /c abcde") != std::string::npos; }));
    }
    SUBCASE("sends 100 Continue before the body arrives") {
      raw.send("POST /e HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n");
      REQUIRE(run_until(loop, [&] { return !raw.received().empty(); }));
      CHECK(raw.received() == "HTTP/1.1 100 Continue\r\n\r\n");
      raw.send("ok");
      REQUIRE(run_until(loop, [&] { return raw.received().find("POST /e ok") != std::string::npos; }));
    }
    SUBCASE("closes after HTTP/1.0 and after Connection: close") {
      for (const char* request : {"GET /ten HTTP/1.0\r\n\r\n", "GET /close HTTP/1.1\r\nConnection: close\r\n\r\n"}) {
        CAPTURE(request);
        RawClient other(loop, server.port());
        other.send(request);
        REQUIRE(run_until(loop, [&] { return other.closed(); }));
        CHECK(other.received().find("HTTP/1.1 200 OK\r\n") == 0);
        CHECK(other.received().find("Connection: close\r\n") != std::string::npos);
      }
    }
    SUBCASE("keeps HTTP/1.0 keep-alive connections open") {
      raw.send("GET /k HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
      REQUIRE(run_until(loop, [&] { return raw.received().find("GET /k") != std::string::npos; }));
      CHECK(raw.received().find("Connection: keep-alive\r\n") != std::string::npos);
      CHECK_FALSE(raw.closed());
    }
    SUBCASE("answers HEAD without a body") {
      raw.send("HEAD /h HTTP/1.1\r\n\r\nGET /after HTTP/1.1\r\n\r\n");
      REQUIRE(run_until(loop, [&] { return raw.received().find("GET /after") != std::string::npos; }));
      CHECK(raw.received().find("Content-Length: 8\r\n\r\nHTTP/1.1 200") != std::string::npos);
    }
    SUBCASE("answers a malformed request line with 400 and closes") {
      raw.send("GARBAGE\r\n\r\n");
      REQUIRE(run_until(loop, [&] { return raw.closed(); }));
      CHECK(raw.received().find("HTTP/1.1 400 Bad Request\r\n") == 0);
      CHECK(raw.received().find("Connection: close\r\n") != std::string::npos);
    }
    SUBCASE("answers a body over max_body_bytes with 413") {
      raw.send("POST /big HTTP/1.1\r\nContent-Length: 1001\r\n\r\n");
      REQUIRE(run_until(loop, [&] { return raw.closed(); }));
      CHECK(raw.received().find("HTTP/1.1 413 ") == 0);
    }
    SUBCASE("answers headers over max_header_bytes with 431") {
      raw.send("GET / HTTP/1.1\r\nX-Big: " + std::string(3000, 'a') + "\r\n\r\n");
      REQUIRE(run_until(loop, [&] { return raw.closed(); }));
      CHECK(raw.received().find("HTTP/1.1 431 ") == 0);
    }
    SUBCASE("closes on Response::drop() without answering") {
      Server dropper(loop, [](Request&&, Responder respond) { respond(Response::drop()); });
      REQUIRE(dropper.listen("127.0.0.1", 0).ok());
      RawClient other(loop, dropper.port());
      other.send("GET / HTTP/1.1\r\n\r\n");
      REQUIRE(run_until(loop, [&] { return other.closed(); }));
      CHECK(other.received().empty());
    }
    SUBCASE("answers 500 when the handler throws") {
      Server thrower(loop, [](Request&&, Responder) { throw std::runtime_error("boom"); });
      REQUIRE(thrower.listen("127.0.0.1", 0).ok());
      RawClient other(loop, thrower.port());
      other.send("GET / HTTP/1.1\r\n\r\n");
      REQUIRE(run_until(loop, [&] { return !other.received().empty(); }));
      CHECK(other.received().find("HTTP/1.1 500 ") == 0);
    }
  }

  TEST_CASE("m2g::http::ServerOptions::idle_timeout") {
    event::Loop loop;
    ServerOptions options;
    options.idle_timeout = Millis(50);
    Server server(loop, echo_handler(loop), options);
    REQUIRE(server.listen("127.0.0.1", 0).ok());
    SUBCASE("closes a silent connection") {
      RawClient raw(loop, server.port());
      REQUIRE(run_until(loop, [&] { return raw.closed(); }));
      CHECK(server.connections() == 0);
    }
    SUBCASE("spares a connection whose request is in flight") {
      RawClient raw(loop, server.port());
      raw.send("GET /?delay=300 HTTP/1.1\r\n\r\n");
      REQUIRE(run_until(loop, [&] { return raw.closed(); }));
      CHECK(raw.received().find("HTTP/1.1 200 OK") == 0); // answered, then idle again
    }
  }

  TEST_CASE("m2g::http::ServerOptions::request_timeout") {
    event::Loop loop;
    ServerOptions options;
    options.idle_timeout = Millis(60000);
    options.request_timeout = Millis(100);
    Server server(loop, echo_handler(loop), options);
    REQUIRE(server.listen("127.0.0.1", 0).ok());
    RawClient raw(loop, server.port());
    SUBCASE("cuts a request that trickles in, though every byte resets the idle timer") {
      std::string request = "POST /slow HTTP/1.1\r\nContent-Length: 5\r\n\r\nabcde";
      size_t sent = 0;
      // One byte every 20 ms: never idle for long, but the whole request would take 900 ms.
      while (!raw.closed() && sent < request.size()) {
        raw.send(request.substr(sent++, 1));
        pump(loop, Millis(20));
      }
      REQUIRE(run_until(loop, [&] { return raw.closed(); }));
      CHECK(sent < request.size());
      CHECK(raw.received().find("HTTP/1.1 408") == 0);
      CHECK(raw.received().find("POST /slow") == std::string::npos);
    }
    SUBCASE("spares an idle keep-alive connection and a request in flight") {
      raw.send("GET /?delay=300 HTTP/1.1\r\n\r\n");
      REQUIRE(run_until(loop, [&] { return raw.received().find("HTTP/1.1 200 OK") == 0; }));
      pump(loop, Millis(300));
      CHECK_FALSE(raw.closed());
    }
  }

  TEST_CASE("m2g::http::ServerOptions::max_connections_per_peer") {
    event::Loop loop;
    ServerOptions options;
    options.max_connections_per_peer = 2;
    Server server(loop, echo_handler(loop), options);
    REQUIRE(server.listen("127.0.0.1", 0).ok());
    auto first = std::make_unique<RawClient>(loop, server.port());
    RawClient second(loop, server.port());
    REQUIRE(run_until(loop, [&] { return server.accepted_total() == 2; }));
    RawClient third(loop, server.port());
    REQUIRE(run_until(loop, [&] { return third.closed(); }));
    CHECK(server.refused_total() == 1);
    CHECK(server.connections() == 2);
    second.send("GET /kept HTTP/1.1\r\n\r\n");
    REQUIRE(run_until(loop, [&] { return second.received().find("GET /kept") != std::string::npos; }));
    first.reset(); // its slot is given back
    REQUIRE(run_until(loop, [&] { return server.connections() == 1; }));
    RawClient fourth(loop, server.port());
    fourth.send("GET /fourth HTTP/1.1\r\n\r\n");
    REQUIRE(run_until(loop, [&] { return fourth.received().find("GET /fourth") != std::string::npos; }));
    CHECK(server.refused_total() == 1);
  }

  TEST_CASE("m2g::http::ServerOptions::check_head") {
    event::Loop loop;
    ServerOptions options;
    std::vector<std::string> checked;
    options.check_head = [&](const Request& head) -> std::optional<Response> {
      checked.push_back(head.method + " " + head.path + " " + std::string(head.header("Key")));
      if (head.header("Key") != "yes") {
        return Response::text(401, "no\n");
      }
      return std::nullopt;
    };
    Server server(loop, echo_handler(loop), options);
    REQUIRE(server.listen("127.0.0.1", 0).ok());
    RawClient raw(loop, server.port());
    SUBCASE("refuses before the body arrives, and closes") {
      raw.send("POST /up HTTP/1.1\r\nKey: no\r\nContent-Length: 1000000\r\n\r\n");
      REQUIRE(run_until(loop, [&] { return raw.closed(); }));
      CHECK(raw.received().find("HTTP/1.1 401 Unauthorized") == 0);
      CHECK(raw.received().find("Connection: close") != std::string::npos);
      CHECK(checked == std::vector<std::string>{"POST /up no"});
    }
    SUBCASE("sends no 100 Continue to a refused head") {
      raw.send("POST /up HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 10\r\n\r\n");
      REQUIRE(run_until(loop, [&] { return raw.closed(); }));
      CHECK(raw.received().find("100 Continue") == std::string::npos);
    }
    SUBCASE("lets an accepted head through to the handler, once per request") {
      raw.send("POST /a HTTP/1.1\r\nKey: yes\r\nContent-Length: 3\r\n\r\n");
      loop.run_once(Millis(10));
      raw.send("xyzGET /b HTTP/1.1\r\nKey: yes\r\n\r\n");
      REQUIRE(run_until(loop, [&] { return count_of(raw.received(), "HTTP/1.1 200") == 2; }));
      CHECK(raw.received().find("POST /a xyz") != std::string::npos);
      CHECK(checked == std::vector<std::string>{"POST /a yes", "GET /b yes"});
      CHECK_FALSE(raw.closed());
    }
  }

  TEST_CASE("m2g::http::Responder") {
    event::Loop loop;
    std::vector<Responder> held;
    auto server = std::make_unique<Server>(loop, [&](Request&&, Responder respond) { held.push_back(respond); });
    REQUIRE(server->listen("127.0.0.1", 0).ok());
    auto raw = std::make_unique<RawClient>(loop, server->port());
    raw->send("GET / HTTP/1.1\r\n\r\n");
    REQUIRE(run_until(loop, [&] { return held.size() == 1; }));

    SUBCASE("is a no-op after the client disconnected") {
      raw->close();
      REQUIRE(run_until(loop, [&] { return server->connections() == 0; }));
      held[0](Response::text(200, "late"));
      held[0](Response::text(200, "twice"));
    }
    SUBCASE("counts only its first call, across copies") {
      Responder copy = held[0];
      copy(Response::text(200, "first"));
      held[0](Response::text(200, "second"));
      REQUIRE(run_until(loop, [&] { return raw->received().find("first") != std::string::npos; }));
      loop.run_once(Millis(10));
      CHECK(raw->received().find("second") == std::string::npos);
    }
    SUBCASE("survives a client that leaves in the middle of a large answer") {
      held[0](Response::text(200, std::string(16 << 20, 'x')));
      REQUIRE(run_until(loop, [&] { return raw->received().size() > 0; }));
      raw->close();
      REQUIRE(run_until(loop, [&] { return server->connections() == 0; }));
    }
    SUBCASE("is a no-op after the server was destroyed") {
      server.reset();
      held[0](Response::text(200, "late"));
      REQUIRE(run_until(loop, [&] { return raw->closed(); }));
      CHECK(raw->received().empty());
    }
  }

  TEST_CASE("m2g::http::ServerOptions::max_connections") {
    event::Loop loop;
    ServerOptions options;
    options.max_connections = 2;
    Server server(loop, echo_handler(loop), options);
    REQUIRE(server.listen("127.0.0.1", 0).ok());
    auto first = std::make_unique<RawClient>(loop, server.port());
    RawClient second(loop, server.port());
    RawClient third(loop, server.port()); // waits in the backlog
    third.send("GET /third HTTP/1.1\r\n\r\n");
    REQUIRE(run_until(loop, [&] { return server.accepted_total() == 2; }));
    for (int i = 0; i < 5; ++i) {
      loop.run_once(Millis(5));
    }
    CHECK(server.accepted_total() == 2);
    CHECK(third.received().empty());
    first.reset(); // a slot frees up: accepting resumes
    REQUIRE(run_until(loop, [&] { return third.received().find("GET /third") != std::string::npos; }));
    CHECK(server.accepted_total() == 3);
  }

  TEST_CASE("m2g::http::Server::close") {
    event::Loop loop;
    Server server(loop, echo_handler(loop));
    REQUIRE(server.listen("127.0.0.1", 0).ok());
    RawClient idle(loop, server.port());
    RawClient busy(loop, server.port());
    busy.send("GET /?delay=50 HTTP/1.1\r\n\r\n");
    REQUIRE(run_until(loop, [&] { return server.connections() == 2; }));
    loop.run_once(Millis(1));
    server.close();
    REQUIRE(run_until(loop, [&] { return idle.closed() && busy.closed(); }));
    CHECK(idle.received().empty());
    CHECK(busy.received().find("HTTP/1.1 200 OK") == 0);
    CHECK(busy.received().find("Connection: close") != std::string::npos);
    RawClient late(loop, server.port());
    CHECK_FALSE(late.connected());
  }

  TEST_CASE("m2g::http::Server::accepted_total") {
    event::Loop loop;
    Server server(loop, echo_handler(loop));
    REQUIRE(server.listen("127.0.0.1", 0).ok());
    Client client(loop);
    int completed = 0;
    int ok = 0;
    std::function<void()> next = [&] {
      ClientRequest request;
      request.url = url(server, "/n/" + std::to_string(completed));
      client.send(std::move(request), [&](ClientResponse&& response) {
        ok += response.status == 200 && response.body == "GET /n/" + std::to_string(completed) + " ";
        if (++completed < 1000) {
          next();
        }
      });
    };
    next();
    REQUIRE(run_until(loop, [&] { return completed == 1000; }));
    CHECK(ok == 1000);
    CHECK(server.accepted_total() >= 1);
    CHECK(server.accepted_total() <= 5); // keep-alive: one connection serves them all
  }

  TEST_CASE("m2g::http::Server::connections") {
    // 2,000 requests held open at once by loop timers (300 ms), on one thread.
    event::Loop loop;
    size_t peak_connections = 0;
    size_t outstanding = 0;
    size_t peak_outstanding = 0;
    Server* server_ptr = nullptr;
    Server server(loop, [&](Request&& request, Responder respond) {
      peak_connections = std::max(peak_connections, server_ptr->connections());
      peak_outstanding = std::max(peak_outstanding, ++outstanding);
      loop.after(Millis(300), [&, respond, path = request.path] {
        --outstanding;
        respond(Response::text(200, path));
      });
    });
    server_ptr = &server;
    REQUIRE(server.listen("127.0.0.1", 0).ok());
    ClientOptions options;
    options.max_inflight = 2000;
    Client client(loop, options);
    int completed = 0;
    int ok = 0;
    for (int i = 0; i < 2000; ++i) {
      ClientRequest request;
      request.url = url(server, "/r" + std::to_string(i));
      client.send(std::move(request), [&, i](ClientResponse&& response) {
        ++completed;
        ok += response.status == 200 && response.body == "/r" + std::to_string(i);
      });
    }
    CHECK(client.in_flight() == 2000);
    REQUIRE(run_until(
        loop, [&] { return completed == 2000; }, Millis(60000)));
    CHECK(ok == 2000);
    MESSAGE("peak connections " << peak_connections << ", peak outstanding " << peak_outstanding);
    CHECK(peak_connections >= 1800);
    CHECK(peak_outstanding >= 1000); // most were held at once, whatever the machine's load
  }
}
