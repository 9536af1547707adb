#include "common/jsonl/scan.hpp"
#include "common/route/text.hpp"

#include <doctest/doctest.h>

using namespace m2g::route;

TEST_SUITE("route") {
  TEST_CASE("m2g::route::html_escape") {
    CHECK(html_escape("a <b> & \"c\"") == "a &lt;b&gt; &amp; &quot;c&quot;");
    CHECK(html_escape("_under_ *star*") == "_under_ *star*"); // harmless in HTML mode
    CHECK(html_escape("") == "");
  }

  TEST_CASE("m2g::route::utf16_length") {
    CHECK(utf16_length("abc") == 3);
    CHECK(utf16_length("é") == 1);
    CHECK(utf16_length("日本") == 2);
    CHECK(utf16_length("😀") == 2); // outside the BMP: a surrogate pair
    CHECK(utf16_length("\xff") == 1);
  }

  TEST_CASE("m2g::route::shorten") {
    SUBCASE("short text is unchanged") {
      CHECK(shorten("hello", 5) == "hello");
    }
    SUBCASE("cut with an ellipsis that counts") {
      CHECK(shorten("hello world", 6) == "hello…");
    }
    SUBCASE("never inside a UTF-8 sequence") {
      std::string cjk = "日本語のタイトルです";
      for (size_t n = 1; n < 12; ++n) {
        std::string cut = shorten(cjk, n);
        CHECK(m2g::jsonl::valid_utf8_prefix(cut) == cut.size());
        CHECK(utf16_length(cut) <= n);
      }
    }
    SUBCASE("never inside a surrogate pair") {
      std::string cut = shorten("😀😀😀", 4);
      CHECK(cut == "😀…"); // a second emoji would need 2 more units
    }
  }

  TEST_CASE("m2g::route::first_line") {
    CHECK(first_line("  title\nbody", 20) == "title …");
    CHECK(first_line("one line", 20) == "one line");
    CHECK(first_line("a very long first line\nmore", 8) == "a very…");
  }

  TEST_CASE("m2g::route::split_message") {
    SUBCASE("a short text is one message") {
      CHECK(split_message("a\nb", 10) == std::vector<std::string>{"a\nb"});
    }
    SUBCASE("split at line breaks") {
      CHECK(split_message("aaaa\nbbbb\ncccc", 9) == std::vector<std::string>{"aaaa\nbbbb", "cccc"});
    }
    SUBCASE("an overlong line is cut at character boundaries") {
      auto parts = split_message("😀😀😀", 4);
      CHECK(parts == std::vector<std::string>{"😀😀", "😀"});
    }
    SUBCASE("every part fits 4096 units") {
      std::string big;
      for (int i = 0; i < 2000; ++i) {
        big += "line ✅ " + std::to_string(i) + "\n";
      }
      for (const auto& part : split_message(big)) {
        CHECK(utf16_length(part) <= k_max_message_units);
      }
    }
  }

  TEST_CASE("m2g::route::words") {
    CHECK(words("  a  b\tc \n") == std::vector<std::string>{"a", "b", "c"});
    CHECK(words("").empty());
    CHECK(trim("  x y  ") == "x y");
    CHECK(lower("ÀBc") == "Àbc");
  }
}
