#include "tests/unit/scratch.hpp"

#include "common/core/exit_codes.hpp"
#include "common/limit/tiers.hpp"
#include "common/sqlite/db.hpp"

#include <doctest/doctest.h>
#include <fstream>
#include <map>

using namespace m2g;
using namespace m2g::limit;

TEST_SUITE("limit") {
  TEST_CASE("m2g::limit::parse_tiers") {
    SUBCASE("KEY RATE BURST lines, comments and blank lines") {
      auto tiers = parse_tiers("# premium users\n\n42 100 200\n  alice\t0.5 1   # trailing comment\r\n", "t.txt");
      REQUIRE(tiers.ok());
      REQUIRE(tiers->size() == 2);
      CHECK(tiers.value()[0].key == "42");
      CHECK(tiers.value()[0].rate == 100);
      CHECK(tiers.value()[0].burst == 200);
      CHECK(tiers.value()[1].key == "alice");
      CHECK(tiers.value()[1].rate == 0.5);
      CHECK(tiers.value()[1].burst == 1);
    }
    SUBCASE("an empty file is no tiers") {
      auto tiers = parse_tiers("", "t.txt");
      REQUIRE(tiers.ok());
      CHECK(tiers->empty());
    }
    SUBCASE("bad lines are configuration errors naming the file and line") {
      auto check_error = [](std::string_view text, std::string_view expected) {
        auto tiers = parse_tiers(text, "t.txt");
        REQUIRE_FALSE(tiers.ok());
        CHECK(tiers.failure().exit_code == exit_code::k_config);
        CHECK(tiers.error() == expected);
      };
      check_error("42 100\n", "'t.txt' line 1: expected KEY RATE BURST, got 2 fields");
      check_error("# x\n42 fast 3\n", "'t.txt' line 2: rate 'fast' is not a number");
      check_error("42 10 3x\n", "'t.txt' line 1: burst '3x' is not a number");
      check_error("42 0 3\n", "'t.txt' line 1: rate must be a positive number of lines per second");
      check_error("42 -1 3\n", "'t.txt' line 1: rate must be a positive number of lines per second");
      check_error("42 nan 3\n", "'t.txt' line 1: rate 'nan' is not a number");
      check_error("42 10 0.5\n", "'t.txt' line 1: burst must be at least 1");
      check_error("42 10 5\n\n42 1 1\n", "'t.txt' line 3: key '42' was already given at 't.txt' line 1");
    }
  }

  TEST_CASE("m2g::limit::load_tiers") {
    std::string dir = test::fresh_dir("tiers");
    SUBCASE("a text file") {
      std::ofstream(dir + "/tiers.txt") << "7 5 10\n";
      auto tiers = load_tiers(dir + "/tiers.txt");
      REQUIRE(tiers.ok());
      REQUIRE(tiers->size() == 1);
      CHECK(tiers.value()[0].key == "7");
    }
    SUBCASE("a SQLite database with a tiers table") {
      {
        auto db = sqlite::Db::open(dir + "/tiers.db").take_or_throw();
        db.exec("CREATE TABLE tiers(key TEXT PRIMARY KEY, rate REAL, burst REAL);"
                "INSERT INTO tiers VALUES ('42', 100, 200), ('alice', 0.5, 1), (7, 3, 4);")
            .throw_if_failed();
      }
      auto tiers = load_tiers(dir + "/tiers.db");
      REQUIRE(tiers.ok());
      REQUIRE(tiers->size() == 3);
      std::map<std::string, std::pair<double, double>> got;
      for (const auto& tier : tiers.value()) {
        got[tier.key] = {tier.rate, tier.burst};
      }
      CHECK(got["42"] == std::pair<double, double>(100, 200));
      CHECK(got["alice"] == std::pair<double, double>(0.5, 1));
      CHECK(got["7"] == std::pair<double, double>(3, 4)); // an integer key reads as its text
    }
    SUBCASE("a database without the table, or with bad values, is a configuration error") {
      {
        auto db = sqlite::Db::open(dir + "/other.db").take_or_throw();
        db.exec("CREATE TABLE users(id INTEGER)").throw_if_failed();
        auto bad = sqlite::Db::open(dir + "/bad.db").take_or_throw();
        bad.exec("CREATE TABLE tiers(key TEXT PRIMARY KEY, rate REAL, burst REAL);"
                 "INSERT INTO tiers VALUES ('x', NULL, 1)")
            .throw_if_failed();
      }
      auto missing_table = load_tiers(dir + "/other.db");
      REQUIRE_FALSE(missing_table.ok());
      CHECK(missing_table.failure().exit_code == exit_code::k_config);
      CHECK(missing_table.error().find("has no usable table tiers") != std::string::npos);
      auto bad_value = load_tiers(dir + "/bad.db");
      REQUIRE_FALSE(bad_value.ok());
      CHECK(bad_value.error().find("key 'x': rate is not a number") != std::string::npos);
    }
    SUBCASE("a missing file") {
      auto tiers = load_tiers(dir + "/nope.txt");
      REQUIRE_FALSE(tiers.ok());
      CHECK(tiers.failure().exit_code == exit_code::k_config);
      CHECK(tiers.error().find("No such file") != std::string::npos);
    }
  }
}
