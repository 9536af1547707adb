#include "common/jsonl/scan.hpp"
#include "common/progress/text.hpp"

#include <doctest/doctest.h>

using namespace m2g;
using namespace m2g::progress;

namespace {
bool valid_utf8(const std::string& text) {
  return jsonl::valid_utf8_prefix(text) == text.size();
}
std::string repeat(std::string_view piece, size_t n) {
  std::string out;
  for (size_t i = 0; i < n; ++i) {
    out += piece;
  }
  return out;
}
} // namespace

TEST_SUITE("progress") {
  TEST_CASE("m2g::progress::escape_html") {
    CHECK(escape_html("a<b & c>d") == "a&lt;b &amp; c&gt;d");
    CHECK(escape_html("say \"hi\"") == "say &quot;hi&quot;");
    SUBCASE("Markdown characters are not special in HTML and stay") {
      CHECK(escape_html("_x_ *y*") == "_x_ *y*");
    }
    SUBCASE("an entity the person typed is shown, not interpreted") {
      CHECK(escape_html("&amp;") == "&amp;amp;");
    }
  }

  TEST_CASE("m2g::progress::utf16_length") {
    CHECK(utf16_length("") == 0);
    CHECK(utf16_length("abc") == 3);
    CHECK(utf16_length("é") == 1);
    CHECK(utf16_length("中文") == 2);
    CHECK(utf16_length("😀") == 2); // outside the BMP: a surrogate pair
    CHECK(utf16_length("\xff\xfe") == 2);
  }

  TEST_CASE("m2g::progress::fit_plain") {
    SUBCASE("text that fits is unchanged") {
      CHECK(fit_plain("hello", 5) == "hello");
    }
    SUBCASE("a cut ends in an ellipsis within the limit") {
      std::string out = fit_plain("hello world", 6);
      CHECK(out == "hello…");
      CHECK(utf16_length(out) == 6);
    }
    SUBCASE("CJK is cut between characters, never inside one") {
      std::string out = fit_plain(repeat("中", 5000), 4096);
      CHECK(valid_utf8(out));
      CHECK(utf16_length(out) == 4096);
      CHECK(out.ends_with("…"));
    }
    SUBCASE("an emoji that would straddle the limit is left out whole") {
      std::string out = fit_plain(repeat("😀", 10), 4); // 😀 (2) + … (1) = 3; a second 😀 would make 5
      CHECK(out == "😀…");
      CHECK(valid_utf8(out));
    }
    SUBCASE("RTL and combining text stays valid") {
      std::string out = fit_plain(repeat("שָׁלוֹם ", 1000), 100);
      CHECK(valid_utf8(out));
      CHECK(utf16_length(out) <= 100);
    }
  }

  TEST_CASE("m2g::progress::html_to_plain") {
    CHECK(html_to_plain("<b>a &lt; b</b> &amp; c") == "a < b & c");
    CHECK(html_to_plain("&#x1F600;&#65;&quot;") == "😀A\"");
    CHECK(html_to_plain("<a href=\"https://x\">link</a>") == "link");
    SUBCASE("an unknown entity or a lone < is kept as text") {
      CHECK(html_to_plain("&nbsp; 1 < 2") == "&nbsp; 1 < 2");
    }
  }
}
