#include "common/jsonl/scan.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>
#include <string>

using m2g::jsonl::ScanInfo;

namespace {
const char* scan_text(std::string_view text, ScanInfo& info) {
  size_t offset = 0;
  return m2g::jsonl::scan(text, info, offset);
}
} // namespace

TEST_SUITE("jsonl") {
  TEST_CASE("m2g::jsonl::scan") {
    ScanInfo info;
    SUBCASE("picks out v, kind and id at the top level only") {
      REQUIRE(scan_text(R"({"v":1,"kind":"job","id":"a:1","x":{"kind":"inner","id":"no"}})", info) == nullptr);
      CHECK(info.is_object);
      CHECK(info.has_version);
      CHECK(info.version == 1);
      CHECK(info.kind == "job");
      CHECK(info.id == "a:1");
    }
    SUBCASE("flags escaped kinds for a real decode") {
      REQUIRE(scan_text(R"({"v":1,"kind":"j\u006fb"})", info) == nullptr);
      CHECK(info.kind_escaped);
    }
    SUBCASE("rejects malformed JSON") {
      for (const char* bad : {"{", "{\"a\":}", "{\"a\":1,}", "[1,2", "{\"a\" 1}", "tru", "{\"a\":01}", "{\"a\":1.}",
                              "{\"a\":\"\\x\"}", "{\"a\":\"\\ud800\"}", "{} {}", "\"abc", "-", "{\"a\":1e}"}) {
        CAPTURE(bad);
        CHECK(scan_text(bad, info) != nullptr);
      }
    }
    SUBCASE("refuses numbers a double cannot hold, as nlohmann does") {
      std::string long_integer = "{\"a\":1" + std::string(400, '0') + "}";
      for (const std::string& overflow : {std::string("2e5660"), std::string("{\"a\":-1.5E+400}"), long_integer}) {
        CAPTURE(overflow);
        CHECK(scan_text(overflow, info) != nullptr);
        CHECK_FALSE(nlohmann::json::accept(overflow));
      }
      for (const char* fits : {"{\"a\":1e-999}", "{\"a\":1.7e308}", "{\"a\":123456789012345678901234567890}"}) {
        CAPTURE(fits);
        CHECK(scan_text(fits, info) == nullptr);
        CHECK(nlohmann::json::accept(fits));
      }
    }
    SUBCASE("rejects invalid UTF-8 inside strings") {
      CHECK(scan_text("{\"a\":\"\xff\"}", info) != nullptr);
      CHECK(scan_text("{\"a\":\"\xc0\xaf\"}", info) != nullptr);         // overlong '/'
      CHECK(scan_text("{\"a\":\"\xed\xa0\x80\"}", info) != nullptr);     // encoded surrogate
      CHECK(scan_text("{\"a\":\"\xf4\x90\x80\x80\"}", info) != nullptr); // above U+10FFFF
      CHECK(scan_text("{\"a\":\"\xe6\x97\xa5\xf0\x9f\x98\x80\"}", info) == nullptr);
    }
    SUBCASE("refuses nesting deep enough to threaten the stack") {
      std::string deep(100000, '[');
      CHECK(scan_text(deep, info) != nullptr);
    }
    SUBCASE("agrees with nlohmann on a corpus of valid values") {
      for (const char* good :
           {"{}", "[]", "0", "-0.5e+3", "\"\\u00e9\\ud83d\\ude00\"", "{\"a\":[true,false,null]}", " { \"a\" : 1 } "}) {
        CAPTURE(good);
        CHECK(scan_text(good, info) == nullptr);
        CHECK(nlohmann::json::accept(good));
      }
    }
  }

  TEST_CASE("m2g::jsonl::valid_utf8_prefix stops at the first bad byte, wherever ASCII runs end") {
    // The ASCII fast path reads eight bytes at a time: put the bad byte at every offset of
    // such a word, after runs of every length, and behind a valid multi-byte character.
    for (size_t run = 0; run < 20; ++run) {
      std::string ascii(run, 'a');
      CAPTURE(run);
      CHECK(m2g::jsonl::valid_utf8_prefix(ascii) == run);
      CHECK(m2g::jsonl::valid_utf8_prefix(ascii + "\xff" + std::string(9, 'b')) == run);
      CHECK(m2g::jsonl::valid_utf8_prefix(ascii + "\xe6\x97\xa5" + std::string(9, 'b')) == run + 12);
      CHECK(m2g::jsonl::valid_utf8_prefix(ascii + "\xe6\x97" + std::string(9, 'b')) == run); // truncated
      CHECK(m2g::jsonl::valid_utf8_prefix(ascii + "\xc0\xaf") == run);                       // overlong
      CHECK(m2g::jsonl::valid_utf8_prefix(ascii + "\xf0\x9f\x98\x80" + ascii + "\x80") == 2 * run + 4);
    }
  }

  TEST_CASE("m2g::jsonl::utf8_truncate") {
    std::string text = "ab\xe6\x97\xa5\xf0\x9f\x98\x80"; // "ab日😀"
    CHECK(m2g::jsonl::utf8_truncate(text, 3) == "ab");
    CHECK(m2g::jsonl::utf8_truncate(text, 5) == "ab\xe6\x97\xa5");
    CHECK(m2g::jsonl::utf8_truncate(text, 8) == "ab\xe6\x97\xa5");
    CHECK(m2g::jsonl::utf8_truncate(text, 9) == text);
  }

  TEST_CASE("m2g::jsonl::nesting_within") {
    SUBCASE("counts brackets outside strings only") {
      CHECK(m2g::jsonl::nesting_within(R"({"a":[{"b":"[[[[[[["}]})", 3));
      CHECK_FALSE(m2g::jsonl::nesting_within(R"({"a":[{"b":[1]}]})", 3));
      CHECK(m2g::jsonl::nesting_within(R"({"a":"\"[[[[[["})", 1));
    }
    SUBCASE("400,000 levels are refused without recursing") {
      std::string deep(400000, '[');
      deep += std::string(400000, ']');
      CHECK_FALSE(m2g::jsonl::nesting_within(deep));
      CHECK(m2g::jsonl::nesting_within(std::string(128, '[') + std::string(128, ']')));
      CHECK_FALSE(m2g::jsonl::nesting_within(std::string(129, '[')));
    }
    SUBCASE("any bytes are safe") {
      CHECK(m2g::jsonl::nesting_within(std::string("\"\\", 3), 1));
      CHECK(m2g::jsonl::nesting_within("]]]}}}", 0));
      CHECK(m2g::jsonl::nesting_within("", 0));
    }
  }
}
