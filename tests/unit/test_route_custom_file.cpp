#include "common/route/custom_file.hpp"

#include <doctest/doctest.h>

using namespace m2g::route;

TEST_SUITE("route") {
  TEST_CASE("m2g::route::normalize_custom_file") {
    SUBCASE("accepted, with .md appended when missing") {
      CHECK(normalize_custom_file("books").take_or_throw() == "books.md");
      CHECK(normalize_custom_file("books/reading").take_or_throw() == "books/reading.md");
      CHECK(normalize_custom_file("a-b_c.d.md").take_or_throw() == "a-b_c.d.md");
      CHECK(normalize_custom_file("a..b").take_or_throw() == "a..b.md");
      CHECK(normalize_custom_file(std::string(61, 'a')).take_or_throw().size() == 64);
    }
    SUBCASE("refused") {
      for (const char* name : {"",
                               "../../etc/passwd",
                               "..",
                               "a/../b",
                               "./a",
                               "/etc/passwd",
                               "a//b",
                               "a/",
                               ".git/config",
                               "notes/.hidden",
                               "a b",
                               "a\\b",
                               "naïve",
                               "a;rm",
                               "note",
                               "TODO.md",
                               "issue_archived",
                               "photos/x",
                               "~/x",
                               "a:b"}) {
        CAPTURE(name);
        auto r = normalize_custom_file(name);
        CHECK_FALSE(r.ok());
        if (!r.ok()) {
          CHECK_FALSE(r.error().empty());
        }
      }
      CHECK_FALSE(normalize_custom_file(std::string(62, 'a')).ok());
    }
    SUBCASE("the reason is plain words") {
      CHECK(normalize_custom_file("../../etc/passwd").error().find("..") != std::string::npos);
      CHECK(normalize_custom_file("/x").error().find("absolute") != std::string::npos);
    }
  }
}
