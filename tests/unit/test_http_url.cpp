#include "common/http/message.hpp"
#include "common/http/url.hpp"

#include <doctest/doctest.h>

using namespace m2g::http;

TEST_SUITE("http") {
  TEST_CASE("m2g::http::url_encode") {
    CHECK(url_encode("AZaz09-._~") == "AZaz09-._~");
    CHECK(url_encode("a b&c=d/é") == "a%20b%26c%3Dd%2F%C3%A9");
    CHECK(url_encode("") == "");
  }

  TEST_CASE("m2g::http::url_decode") {
    SUBCASE("reverses url_encode") {
      std::string text = "chat 42 & \"quotes\" /path?x=é\x01";
      CHECK(url_decode(url_encode(text)) == text);
    }
    SUBCASE("treats '+' as a space only in form mode") {
      CHECK(url_decode("a+b") == "a b");
      CHECK(url_decode("a+b", false) == "a+b");
    }
    SUBCASE("keeps broken escapes as they are") {
      CHECK(url_decode("100%") == "100%");
      CHECK(url_decode("%zz%4") == "%zz%4");
      CHECK(url_decode("%4a%4A") == "JJ");
    }
  }

  TEST_CASE("m2g::http::form_encode") {
    CHECK(form_encode({{"chat_id", "42"}, {"text", "hi there & bye"}}) == "chat_id=42&text=hi%20there%20%26%20bye");
    CHECK(form_encode({}) == "");
  }

  TEST_CASE("m2g::http::form_decode") {
    Params params = form_decode("a=1&&b=x+y%21&flag&=v");
    REQUIRE(params.size() == 4);
    CHECK(params[0] == std::pair<std::string, std::string>{"a", "1"});
    CHECK(params[1] == std::pair<std::string, std::string>{"b", "x y!"});
    CHECK(params[2] == std::pair<std::string, std::string>{"flag", ""});
    CHECK(params[3] == std::pair<std::string, std::string>{"", "v"});
  }

  TEST_CASE("m2g::http::with_query") {
    CHECK(with_query("http://h/p", {{"a", "1"}, {"b", "x y"}}) == "http://h/p?a=1&b=x%20y");
    CHECK(with_query("http://h/p?z=0", {{"a", "1"}}) == "http://h/p?z=0&a=1");
    CHECK(with_query("http://h/p?", {{"a", "1"}}) == "http://h/p?a=1");
    CHECK(with_query("http://h/p#top", {{"a", "1"}}) == "http://h/p?a=1#top");
    CHECK(with_query("http://h/p", {}) == "http://h/p");
  }

  TEST_CASE("m2g::http::Request::query_param") {
    Request request;
    request.query = "offset=10&text=hello+world%21&empty=&flag&na%6De=decoded";
    CHECK(request.query_param("offset") == "10");
    CHECK(request.query_param("text") == "hello world!");
    CHECK(request.query_param("empty") == "");
    CHECK(request.query_param("flag") == "");
    CHECK(request.query_param("name") == "decoded");
    CHECK(request.query_param("missing") == "");
  }

  TEST_CASE("m2g::http::Request::header") {
    Request request;
    request.headers = {{"Content-Type", "application/json"}, {"X-Token", "a"}, {"x-token", "b"}};
    CHECK(request.header("content-type") == "application/json");
    CHECK(request.header("X-TOKEN") == "a");
    CHECK(request.header("Missing").empty());
  }

  TEST_CASE("m2g::http::Response::json") {
    Response response = Response::json(201, R"({"ok":true})");
    CHECK(response.status == 201);
    CHECK(find_header(response.headers, "content-type") == "application/json");
    CHECK(response.body == R"({"ok":true})");
    CHECK_FALSE(response.drop_connection);
    CHECK(Response::drop().drop_connection);
  }
}
