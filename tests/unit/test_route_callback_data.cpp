#include "common/route/callback_data.hpp"

#include <doctest/doctest.h>
#include <limits>

using namespace m2g::route;

TEST_SUITE("route") {
  TEST_CASE("m2g::route::decode_callback") {
    constexpr int64_t big = std::numeric_limits<int64_t>::max();
    SUBCASE("round trips, within 64 bytes even at the largest ids") {
      auto f = decode_callback(encode_file("inbox", big));
      REQUIRE(f);
      CHECK(f->op == CallbackData::Op::file);
      CHECK(f->target == "inbox");
      CHECK(f->message_id == big);
      auto c = decode_callback(encode_file_custom(9, 42));
      REQUIRE(c);
      CHECK(c->op == CallbackData::Op::file_custom);
      CHECK(c->custom_index == 9);
      auto x = decode_callback(encode_cancel(42));
      REQUIRE(x);
      CHECK(x->op == CallbackData::Op::cancel);
      for (const auto& data : {encode_file("inbox", big), encode_file_custom(999, big)}) {
        CHECK(data.size() <= k_max_callback_bytes);
      }
    }
    SUBCASE("the documented forms") {
      CHECK(decode_callback("f:note:42")->message_id == 42);
      auto done = decode_callback("done:77:AAAAAAAAAAAAAAAAAAAAAA");
      REQUIRE(done);
      CHECK(done->message_id == 77);
      CHECK(done->mac == "AAAAAAAAAAAAAAAAAAAAAA");
      CHECK(decode_callback("close:5:-_-_-_-_-_-_-_-_-_-_-_")->number == 5);
    }
    SUBCASE("crafted or stale data decodes to nothing") {
      for (const char* data : {"", "f", "f:note", "f:nope:1", "f:note:x", "f:note:-1", "f:note:0", "f:note:1:2",
                               "f:c:1", "f:cx:1", "f:c-1:1", "x:", "x:1:2", "done:", "done:abc", "close:0",
                               // unsigned (as before MACs), or another chat named: no longer decoded
                               "done:77", "done:77:-100200", "close:5", "close:5:AAAA",
                               "close:5:AAAAAAAAAAAAAAAAAAAAA=", "done:0:AAAAAAAAAAAAAAAAAAAAAA", "close:-3",
                               "close:+3", "coffee_simulate_1_100", "f:note:99999999999999999999", "f:note: 1"}) {
        CAPTURE(data);
        CHECK_FALSE(decode_callback(data));
      }
      CHECK_FALSE(decode_callback(std::string(65, 'a')));
    }
  }

  TEST_CASE("m2g::route::parse_int") {
    CHECK(parse_int("0") == 0);
    CHECK(parse_int("-100123") == -100123);
    CHECK_FALSE(parse_int("+1"));
    CHECK_FALSE(parse_int("1e3"));
    CHECK_FALSE(parse_int(""));
  }
}
