#include "common/core/shared_library.hpp"

#include <cstring>
#include <doctest/doctest.h>

TEST_SUITE("core") {
  TEST_CASE("m2g::SymbolLoader") {
    SUBCASE("resolves what the library has, and keeps it loaded") {
      m2g::SymbolLoader loader("libc.so.6");
      REQUIRE(loader.opened());
      decltype(&::strlen) length = nullptr;
      loader.resolve(length, "strlen");
      REQUIRE(static_cast<bool>(length));
      CHECK(loader.finish().empty());
      CHECK(length("m2g") == 3);
    }
    SUBCASE("names every symbol it lacks, in the order asked") {
      m2g::SymbolLoader loader("libc.so.6");
      REQUIRE(loader.opened());
      void (*first)() = nullptr;
      void (*second)() = nullptr;
      decltype(&::strlen) found = nullptr;
      loader.resolve(first, "m2g_no_such_one");
      loader.resolve(found, "strlen");
      loader.resolve(second, "m2g_no_such_two");
      CHECK_FALSE(static_cast<bool>(first));
      CHECK(loader.finish() == "it lacks m2g_no_such_one, m2g_no_such_two");
    }
    SUBCASE("a library that is not there: not opened, dlerror's words, nothing resolved") {
      m2g::SymbolLoader loader("libm2g-no-such-library.so.1");
      CHECK_FALSE(loader.opened());
      CHECK(loader.error().find("libm2g-no-such-library.so.1") != std::string::npos);
      void (*function)() = nullptr;
      loader.resolve(function, "anything");
      CHECK_FALSE(static_cast<bool>(function));
    }
  }
}
