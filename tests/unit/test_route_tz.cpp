#include "common/route/tz.hpp"

#include <doctest/doctest.h>
#include <filesystem>

using namespace m2g::route;

TEST_SUITE("route") {
  TEST_CASE("m2g::route::valid_tz") {
    if (!std::filesystem::exists("/usr/share/zoneinfo/Europe/Berlin")) {
      MESSAGE("no zoneinfo database on this machine");
      return;
    }
    CHECK(valid_tz("UTC"));
    CHECK(valid_tz("Europe/Berlin"));
    CHECK(valid_tz("America/Argentina/Buenos_Aires"));
    for (const char* name : {"", "Mars/Olympus", "../../etc/passwd", "/etc/passwd", "Europe/../UTC", "Europe//Berlin",
                             "Europe", "zone.tab", "Europe/Berlin "}) {
      CAPTURE(name);
      CHECK_FALSE(valid_tz(name));
    }
  }

  TEST_CASE("m2g::route::local_day") {
    // 2024-11-25 23:30 UTC is already the 26th in Berlin (UTC+1) and still the 25th in New York.
    int64_t t = 1'732'577'400;
    CHECK(day_string(local_day(t, "")) == "2024-11-25");
    CHECK(day_string(local_day(t, "UTC")) == "2024-11-25");
    if (std::filesystem::exists("/usr/share/zoneinfo/Europe/Berlin")) {
      CHECK(day_string(local_day(t, "Europe/Berlin")) == "2024-11-26");
      CHECK(day_string(local_day(t, "America/New_York")) == "2024-11-25");
    }
    CHECK(day_string(0) == "1970-01-01");
    CHECK(day_string(-1) == "1969-12-31");
    CHECK(day_string(local_day(951'782'400, "")) == "2000-02-29");
  }
}
