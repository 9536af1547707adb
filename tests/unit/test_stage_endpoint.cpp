#include "common/stage/endpoint.hpp"

#include <doctest/doctest.h>

using namespace m2g::stage;

TEST_SUITE("stage") {
  TEST_CASE("m2g::stage::parse_endpoint") {
    CHECK_FALSE(parse_endpoint("-")->is_queue());
    auto q = parse_endpoint("sqlite:/var/lib/m2g/q.db#commit");
    REQUIRE(q.ok());
    CHECK(q->is_queue());
    CHECK(q->path == "/var/lib/m2g/q.db");
    CHECK(q->topic == "commit");
    CHECK(parse_endpoint("sqlite:q.db")->topic == "default");
    CHECK_FALSE(parse_endpoint("q.db").ok());
    CHECK_FALSE(parse_endpoint("sqlite:#t").ok());
    CHECK_FALSE(parse_endpoint("sqlite:q.db#").ok());
  }
}
