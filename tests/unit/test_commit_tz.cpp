#include "common/commit/tz.hpp"

#include <doctest/doctest.h>

using namespace m2g::commit;

TEST_SUITE("commit") {
  TEST_CASE("m2g::commit::days_from_civil") {
    CHECK(days_from_civil(1970, 1, 1) == 0);
    CHECK(days_from_civil(2000, 3, 1) == 11017);
    CHECK(days_from_civil(1969, 12, 31) == -1);
    int y = 0, m = 0, d = 0;
    civil_from_days(days_from_civil(2024, 2, 29), y, m, d);
    CHECK((y == 2024 && m == 2 && d == 29));
  }

  TEST_CASE("m2g::commit::PosixRule::parse") {
    SUBCASE("central Europe: CEST from the last Sunday of March 01:00 UTC") {
      auto rule = PosixRule::parse("CET-1CEST,M3.5.0,M10.5.0/3");
      REQUIRE(rule.ok());
      // 2041-03-31 is the last Sunday of March 2041; the switch is at 01:00 UTC.
      int64_t day = days_from_civil(2041, 3, 31) * 86400;
      CHECK(rule->offset_at(day + 3600 - 1) == 3600);
      CHECK(rule->offset_at(day + 3600) == 7200);
      CHECK(rule->offset_at(days_from_civil(2041, 12, 1) * 86400) == 3600);
    }
    SUBCASE("southern hemisphere rules wrap around the new year") {
      auto rule = PosixRule::parse("AEST-10AEDT,M10.1.0,M4.1.0/3");
      REQUIRE(rule.ok());
      CHECK(rule->offset_at(days_from_civil(2040, 1, 15) * 86400) == 11 * 3600);
      CHECK(rule->offset_at(days_from_civil(2040, 7, 15) * 86400) == 10 * 3600);
    }
    SUBCASE("quoted names and no DST") {
      auto rule = PosixRule::parse("<+0530>-5:30");
      REQUIRE(rule.ok());
      CHECK(rule->offset_at(0) == 5 * 3600 + 1800);
    }
    SUBCASE("garbage is refused") {
      CHECK_FALSE(PosixRule::parse("").ok());
      CHECK_FALSE(PosixRule::parse("CET-1CEST,M13.5.0,M10.5.0").ok());
      CHECK_FALSE(PosixRule::parse("X1").ok());
    }
  }

  TEST_CASE("m2g::commit::TimeZone::load") {
    SUBCASE("UTC needs no file") {
      auto zone = TimeZone::load("UTC");
      REQUIRE(zone.ok());
      CHECK(zone.value()->offset_at(1732531200) == 0);
    }
    SUBCASE("a real zone from tzdata, across a DST change and past its table") {
      auto zone = TimeZone::load("Europe/Berlin");
      if (!zone.ok()) {
        MESSAGE("no tzdata installed: " << zone.error());
        return;
      }
      LocalTime winter = zone.value()->local(1732531200); // 2024-11-25 10:40 UTC
      CHECK(winter.hour == 11);
      CHECK(winter.minute == 40);
      CHECK(zone.value()->local(1719318600).hour == 14); // 2024-06-25 12:30 UTC → CEST
      // 2100 is past any transition table: the footer's POSIX rule decides.
      CHECK(zone.value()->offset_at(days_from_civil(2100, 7, 1) * 86400) == 7200);
      CHECK(zone.value()->offset_at(days_from_civil(2100, 1, 1) * 86400) == 3600);
    }
    SUBCASE("names that are not zone names are refused before touching the disk") {
      CHECK_FALSE(TimeZone::load("../../etc/passwd").ok());
      CHECK_FALSE(TimeZone::load("/etc/localtime").ok());
      CHECK_FALSE(TimeZone::load("No/Such_Zone").ok());
    }
  }

  TEST_CASE("m2g::commit::TimeZone::parse") {
    CHECK_FALSE(TimeZone::parse("x", "not a tzif file").ok());
    std::string truncated = "TZif2";
    truncated.append(40, '\0');
    CHECK_FALSE(TimeZone::parse("x", truncated).ok());
  }
}
