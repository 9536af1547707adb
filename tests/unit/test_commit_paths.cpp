#include "common/commit/paths.hpp"

#include <doctest/doctest.h>

using namespace m2g::commit;

TEST_SUITE("commit") {
  TEST_CASE("m2g::commit::target_file") {
    CHECK(target_file("note") == "note.md");
    CHECK(target_file("todo") == "todo.md");
    CHECK(target_file("custom") == "");
    CHECK(target_file("../etc") == "");
  }

  TEST_CASE("m2g::commit::validate_custom_file") {
    SUBCASE("ordinary names, nested, non-ASCII") {
      CHECK(validate_custom_file("books.md").ok());
      CHECK(validate_custom_file("work/meetings 2024.md").ok());
      CHECK(validate_custom_file("заметки/日記.md").ok());
    }
    SUBCASE("escapes and tricks are refused") {
      for (const char* bad : {"", "/etc/passwd.md", "../x.md", "a/../../x.md", "a/./x.md", ".git/config.md",
                              ".github/workflows/x.md", "a//b.md", "x.yml", "x.md/", "-rf.md", "a\\b.md", "a\nb.md",
                              "todo.md", "issue.md", "photos/x.md", "x.md\x01.md", " x.md"}) {
        CAPTURE(bad);
        CHECK_FALSE(validate_custom_file(bad).ok());
      }
      std::string long_name(300, 'a');
      long_name.append(".md");
      CHECK_FALSE(validate_custom_file(long_name).ok());
      CHECK_FALSE(validate_custom_file("a/b/c/d/e/f/g/h/i/j.md").ok());
      CHECK_FALSE(validate_custom_file("bad\xff.md").ok());
    }
  }

  TEST_CASE("m2g::commit::photo_path") {
    CHECK(photo_path("AQADx-y_1", "jpg", 2024, 3).value() == "photos/2024/03/AQADx-y_1.jpg");
    CHECK_FALSE(photo_path("../x", "jpg", 2024, 3).ok());
    CHECK_FALSE(photo_path("x", "j/pg", 2024, 3).ok());
  }

  TEST_CASE("m2g::commit::relative_path") {
    CHECK(relative_path("note.md", "photos/a.jpg") == "photos/a.jpg");
    CHECK(relative_path("a/b/c.md", "photos/a.jpg") == "../../photos/a.jpg");
  }

  TEST_CASE("m2g::commit::url_path") {
    CHECK(url_path("dir/my file#1.md") == "dir/my%20file%231.md");
  }
}
