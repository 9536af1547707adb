#include "common/http/parser.hpp"

#include <algorithm>
#include <doctest/doctest.h>
#include <string>

using m2g::http::Request;
using m2g::http::RequestParser;
using State = RequestParser::State;

namespace {

// Feed `input` in pieces of `step` bytes, as a slow socket would deliver it, keeping unconsumed
// bytes for the next call like a connection's buffer does.
State feed_in_steps(RequestParser& parser, const std::string& input, size_t step, size_t* left = nullptr) {
  std::string buffer;
  size_t pos = 0;
  for (size_t i = 0; i < input.size(); i += step) {
    buffer.append(input, i, step);
    pos += parser.feed(std::string_view(buffer).substr(pos));
    if (parser.state() != State::need_more) {
      buffer.append(input, std::min(i + step, input.size()), std::string::npos);
      break;
    }
  }
  if (left != nullptr) {
    *left = buffer.size() - pos;
  }
  return parser.state();
}

int error_for(const std::string& input, size_t max_header = 1024, size_t max_body = 1024) {
  RequestParser parser(max_header, max_body);
  parser.feed(input);
  return parser.state() == State::failed ? parser.error_status() : 0;
}

} // namespace

TEST_SUITE("http") {
  TEST_CASE("m2g::http::RequestParser::feed") {
    RequestParser parser(64 << 10, 1 << 20);
    SUBCASE("parses a request byte by byte") {
      std::string text = "POST /send?chat=1&t=a+b HTTP/1.1\r\nHost: x\r\nX-A:  spaced value \t\r\n"
                         "Content-Length: 5\r\n\r\nhello";
      for (size_t step : {size_t(1), size_t(3), text.size()}) {
        CAPTURE(step);
        RequestParser fresh(64 << 10, 1 << 20);
        REQUIRE(feed_in_steps(fresh, text, step) == State::complete);
        CHECK(fresh.keep_alive());
        Request request = fresh.take();
        CHECK(request.method == "POST");
        CHECK(request.target == "/send?chat=1&t=a+b");
        CHECK(request.path == "/send");
        CHECK(request.query == "chat=1&t=a+b");
        CHECK(request.query_param("t") == "a b");
        CHECK(request.header("x-a") == "spaced value");
        CHECK(request.body == "hello");
      }
    }
    SUBCASE("stops at the end of one request, leaving the next in the buffer") {
      std::string two = "GET /a HTTP/1.1\r\n\r\nGET /b HTTP/1.1\r\n\r\n";
      size_t used = parser.feed(two);
      REQUIRE(parser.state() == State::complete);
      CHECK(parser.take().path == "/a");
      parser.feed(std::string_view(two).substr(used));
      REQUIRE(parser.state() == State::complete);
      CHECK(parser.take().path == "/b");
    }
    SUBCASE("decodes a chunked body with extensions and trailers") {
      std::string text = "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"
                         "5;ext=1\r\nhello\r\n1\r\n \r\n6\r\nworld!\r\n0\r\nX-Trailer: t\r\n\r\nGET";
      for (size_t step : {size_t(1), size_t(7), text.size()}) {
        CAPTURE(step);
        RequestParser fresh(64 << 10, 1 << 20);
        size_t left = 0;
        REQUIRE(feed_in_steps(fresh, text, step, &left) == State::complete);
        CHECK(left == 3);
        CHECK(fresh.take().body == "hello world!");
      }
    }
    SUBCASE("accepts bare LF line ends and absolute-form targets") {
      parser.feed("GET http://example.org/p?q=1 HTTP/1.1\nHost: e\n\n");
      REQUIRE(parser.state() == State::complete);
      Request request = parser.take();
      CHECK(request.path == "/p");
      CHECK(request.query == "q=1");
    }
    SUBCASE("knows HTTP/1.0 and Connection semantics") {
      parser.feed("GET / HTTP/1.0\r\n\r\n");
      CHECK_FALSE(parser.keep_alive());
      CHECK(parser.http10());
      parser.take();
      parser.feed("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n");
      CHECK(parser.keep_alive());
      parser.take();
      parser.feed("GET / HTTP/1.1\r\nConnection: foo, close\r\n\r\n");
      CHECK_FALSE(parser.keep_alive());
    }
    SUBCASE("asks for 100 Continue once, only before the body") {
      parser.feed("PUT / HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\n");
      CHECK(parser.state() == State::need_more);
      CHECK(parser.take_continue());
      CHECK_FALSE(parser.take_continue());
      parser.feed("abc");
      CHECK(parser.state() == State::complete);
    }
    SUBCASE("rejects malformed requests with 400") {
      for (const char* bad : {"GARBAGE\r\n\r\n", "GET /\r\n\r\n", "GET  / HTTP/1.1\r\n\r\n", "GET / HTTP/1.1 x\r\n\r\n",
                              "G(T / HTTP/1.1\r\n\r\n", "GET / HTTX/1.1\r\n\r\n", "GET nopath HTTP/1.1\r\n\r\n",
                              "GET / HTTP/1.1\r\nNo colon\r\n\r\n", "GET / HTTP/1.1\r\nBad name: v\r\n\r\n",
                              "GET / HTTP/1.1\r\nA: b\r\n folded\r\n\r\n", "GET / HTTP/1.1\r\nA: b\x01\r\n\r\n",
                              "POST / HTTP/1.1\r\nContent-Length: -1\r\n\r\n",
                              "POST / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n",
                              "POST / HTTP/1.1\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n",
                              "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
                              "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nab\r\n"}) {
        CAPTURE(bad);
        CHECK(error_for(bad) == 400);
      }
    }
    SUBCASE("answers other failures with their own status") {
      CHECK(error_for("GET / HTTP/2.0\r\n\r\n") == 505);
      CHECK(error_for("POST / HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n") == 501);
      CHECK(error_for("POST / HTTP/1.1\r\nContent-Length: 1025\r\n\r\n") == 413);
      CHECK(error_for("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n401\r\n") == 413);
      CHECK(error_for("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nffffffffffffffffffff\r\n") == 413);
      CHECK(error_for("GET / HTTP/1.1\r\nX: " + std::string(2000, 'a') + "\r\n\r\n") == 431);
      CHECK(error_for("GET / HTTP/1.1\r\nX: " + std::string(2000, 'a')) == 431);
    }
    SUBCASE("waits for more bytes on an incomplete request") {
      CHECK(parser.feed("GET / HTTP/1.1\r\nHost: x\r\n") == 0);
      CHECK(parser.state() == State::need_more);
      CHECK(parser.feed("GET / HTTP/1.1\r\nHost: x\r\n\r") == 0);
      CHECK(parser.feed("GET / HTTP/1.1\r\nHost: x\r\n\r\n") == 27);
      CHECK(parser.state() == State::complete);
    }
  }
}
