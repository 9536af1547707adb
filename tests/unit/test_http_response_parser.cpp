#include "common/http/response_parser.hpp"

#include <doctest/doctest.h>
#include <string>

using m2g::http::ResponseParser;
using State = ResponseParser::State;

namespace {

// Feed `input` in pieces of `step` bytes, as a slow socket would deliver it.
State feed_in_steps(ResponseParser& parser, const std::string& input, size_t step) {
  for (size_t i = 0; i < input.size() && parser.state() == State::need_more; i += step) {
    parser.feed(std::string_view(input).substr(i, step));
  }
  return parser.state();
}

} // namespace

TEST_SUITE("http") {
  TEST_CASE("m2g::http::ResponseParser: Content-Length") {
    std::string wire = "HTTP/1.1 201 Created\r\nContent-Type: application/json\r\nContent-Length: 7\r\n"
                       "X-Empty:\r\n\r\n{\"a\":1}";
    for (size_t step : {size_t{1}, size_t{2}, size_t{5}, wire.size()}) {
      CAPTURE(step);
      ResponseParser parser;
      REQUIRE(feed_in_steps(parser, wire, step) == State::complete);
      CHECK(parser.status() == 201);
      CHECK(parser.body() == "{\"a\":1}");
      CHECK(parser.keep_alive());
      REQUIRE(parser.headers().size() == 3);
      CHECK(parser.headers()[0].name == "Content-Type");
      CHECK(parser.headers()[0].value == "application/json");
      CHECK(parser.headers()[2].value == "");
    }
    SUBCASE("a complete response is not waiting for the end of the stream") {
      ResponseParser parser;
      CHECK(parser.feed("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n") == State::complete);
      CHECK(parser.body().empty());
    }
    SUBCASE("bare LF line ends and a missing reason phrase are tolerated") {
      ResponseParser parser;
      CHECK(parser.feed("HTTP/1.1 200\nContent-Length: 2\n\nok") == State::complete);
      CHECK(parser.body() == "ok");
    }
  }

  TEST_CASE("m2g::http::ResponseParser: chunked") {
    std::string wire = "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n"
                       "5;ext=1\r\nhello\r\n1A\r\n abcdefghijklmnopqrstuvwxy\r\n0\r\nX-Trailer: t\r\n\r\n";
    for (size_t step : {size_t{1}, size_t{3}, wire.size()}) {
      CAPTURE(step);
      ResponseParser parser;
      REQUIRE(feed_in_steps(parser, wire, step) == State::complete);
      CHECK(parser.body() == "hello abcdefghijklmnopqrstuvwxy");
      CHECK(parser.keep_alive());
    }
    SUBCASE("a chunk not followed by CRLF is malformed") {
      ResponseParser parser;
      CHECK(parser.feed("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabc\r\n") == State::failed);
      CHECK(parser.error().find("CRLF") != std::string::npos);
    }
    SUBCASE("a bad chunk size is malformed") {
      ResponseParser parser;
      CHECK(parser.feed("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n") == State::failed);
    }
    SUBCASE("the end of the stream inside the chunks is an error") {
      ResponseParser parser;
      parser.feed("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhel");
      CHECK(parser.end_of_stream() == State::failed);
      CHECK(parser.body() == "hel");
    }
  }

  TEST_CASE("m2g::http::ResponseParser: bodies that end with the connection") {
    SUBCASE("no length: the body runs to the end and the connection cannot be reused") {
      ResponseParser parser;
      CHECK(parser.feed("HTTP/1.1 200 OK\r\n\r\npart one, ") == State::need_more);
      CHECK(parser.feed("part two") == State::need_more);
      CHECK(parser.end_of_stream() == State::complete);
      CHECK(parser.body() == "part one, part two");
      CHECK_FALSE(parser.keep_alive());
    }
    SUBCASE("a coding other than chunked last") {
      ResponseParser parser;
      parser.feed("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked, gzip\r\n\r\nraw");
      CHECK(parser.end_of_stream() == State::complete);
      CHECK(parser.body() == "raw");
    }
    SUBCASE("the end of the stream before the length is reached is an error") {
      ResponseParser parser;
      parser.feed("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort");
      CHECK(parser.end_of_stream() == State::failed);
      CHECK(parser.started());
    }
    SUBCASE("nothing at all is an empty reply") {
      ResponseParser parser;
      CHECK_FALSE(parser.started());
      CHECK(parser.end_of_stream() == State::failed);
      CHECK(parser.error() == "empty reply from server");
    }
  }

  TEST_CASE("m2g::http::ResponseParser: framing rules") {
    SUBCASE("interim 1xx answers are skipped") {
      ResponseParser parser;
      CHECK(parser.feed("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: x\r\n\r\n"
                        "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok") == State::complete);
      CHECK(parser.status() == 200);
      REQUIRE(parser.headers().size() == 1);
      CHECK(parser.headers()[0].name == "Content-Length");
    }
    SUBCASE("101 is refused") {
      ResponseParser parser;
      CHECK(parser.feed("HTTP/1.1 101 Switching Protocols\r\nUpgrade: h2c\r\n\r\n") == State::failed);
    }
    SUBCASE("HEAD, 204 and 304 have no body whatever the headers say") {
      ResponseParser head(true);
      CHECK(head.feed("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n") == State::complete);
      ResponseParser no_content;
      CHECK(no_content.feed("HTTP/1.1 204 No Content\r\nContent-Length: 5\r\n\r\n") == State::complete);
      ResponseParser not_modified;
      CHECK(not_modified.feed("HTTP/1.1 304 Not Modified\r\n\r\n") == State::complete);
      CHECK(not_modified.keep_alive());
    }
    SUBCASE("keep-alive follows the version and Connection") {
      ResponseParser close;
      close.feed("HTTP/1.1 200 OK\r\nConnection: keep-alive, Close\r\nContent-Length: 0\r\n\r\n");
      CHECK_FALSE(close.keep_alive());
      ResponseParser old;
      old.feed("HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n");
      CHECK_FALSE(old.keep_alive());
      ResponseParser old_kept;
      old_kept.feed("HTTP/1.0 200 OK\r\nConnection: Keep-Alive\r\nContent-Length: 0\r\n\r\n");
      CHECK(old_kept.keep_alive());
    }
    SUBCASE("malformed heads fail with a reason") {
      for (const char* wire :
           {"SMTP ready\r\n\r\n", "HTTP/2 200 OK\r\n\r\n", "HTTP/1.1 2000 OK\r\n\r\n", "HTTP/1.1 20 OK\r\n\r\n",
            "HTTP/1.1 200 OK\r\nno colon here\r\n\r\n", "HTTP/1.1 200 OK\r\nContent-Length: +5\r\n\r\n",
            "HTTP/1.1 200 OK\r\nContent-Length: 5, 5\r\n\r\n"}) {
        CAPTURE(wire);
        ResponseParser parser;
        CHECK(parser.feed(wire) == State::failed);
        CHECK_FALSE(parser.error().empty());
        CHECK_FALSE(parser.keep_alive());
      }
    }
    SUBCASE("limits on the header block and the body") {
      ResponseParser big_head(false, 64, 1024);
      CHECK(big_head.feed("HTTP/1.1 200 OK\r\nX-Long: " + std::string(100, 'x')) == State::failed);
      ResponseParser big_length(false, 1024, 10);
      CHECK(big_length.feed("HTTP/1.1 200 OK\r\nContent-Length: 11\r\n\r\n") == State::failed);
      ResponseParser big_stream(false, 1024, 10);
      CHECK(big_stream.feed("HTTP/1.1 200 OK\r\n\r\n" + std::string(11, 'b')) == State::failed);
      ResponseParser big_chunks(false, 1024, 10);
      CHECK(big_chunks.feed("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n6\r\nabcdef\r\n6\r\n") ==
            State::failed);
    }
  }
}
