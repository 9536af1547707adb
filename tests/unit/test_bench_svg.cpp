#include "common/bench/svg.hpp"

#include <doctest/doctest.h>
#include <string>
#include <vector>

using namespace m2g::bench;

namespace {

// A small XML well-formedness check: tags nest and close, attribute values are quoted, text
// holds no raw '<' and every '&' starts an entity. Returns "" when well-formed.
std::string xml_problem(const std::string& doc) {
  std::vector<std::string> open;
  size_t i = 0;
  if (doc.rfind("<?xml", 0) == 0) {
    i = doc.find("?>") + 2;
  }
  while (i < doc.size()) {
    if (doc[i] == '&') {
      size_t semi = doc.find(';', i);
      std::string entity = doc.substr(i, semi == std::string::npos ? 0 : semi - i + 1);
      if (entity != "&amp;" && entity != "&lt;" && entity != "&gt;" && entity != "&quot;" && entity != "&apos;") {
        return "bad entity at " + std::to_string(i);
      }
      i = semi + 1;
      continue;
    }
    if (doc[i] != '<') {
      ++i;
      continue;
    }
    size_t end = i + 1;
    char quote = 0;
    for (; end < doc.size(); ++end) {
      if (quote != 0) {
        if (doc[end] == '<') {
          return "'<' inside an attribute at " + std::to_string(end);
        }
        quote = doc[end] == quote ? 0 : quote;
      } else if (doc[end] == '"' || doc[end] == '\'') {
        quote = doc[end];
      } else if (doc[end] == '>') {
        break;
      } else if (doc[end] == '<') {
        return "'<' inside a tag at " + std::to_string(end);
      }
    }
    if (end >= doc.size()) {
      return "unterminated tag";
    }
    std::string tag = doc.substr(i + 1, end - i - 1);
    if (tag.empty()) {
      return "empty tag";
    }
    if (tag[0] == '/') {
      std::string name = tag.substr(1);
      if (open.empty() || open.back() != name) {
        return "mismatched </" + name + ">";
      }
      open.pop_back();
    } else if (tag.back() != '/') {
      open.push_back(tag.substr(0, tag.find_first_of(" \t\n")));
    }
    i = end + 1;
  }
  return open.empty() ? "" : "unclosed <" + open.back() + ">";
}

} // namespace

TEST_SUITE("bench") {
  TEST_CASE("m2g::bench::xml_escape") {
    CHECK(xml_escape("a<b>&\"c'") == "a&lt;b&gt;&amp;&quot;c&apos;");
    CHECK(xml_escape("✅ plain") == "✅ plain");
  }

  TEST_CASE("m2g::bench::latency_svg") {
    LatencyRecorder rec;
    SUBCASE("10,000 latencies") {
      for (int i = 0; i < 10'000; ++i) {
        rec.add(7.0 + (i % 1000) / 1000.0);
      }
      std::string svg = latency_svg(rec, "realistic-10k <&> \"quoted\"");
      CHECK(xml_problem(svg) == "");
      CHECK(svg.find("<svg xmlns=\"http://www.w3.org/2000/svg\"") != std::string::npos);
      CHECK(svg.find("realistic-10k &lt;&amp;&gt; &quot;quoted&quot;") != std::string::npos);
      CHECK(svg.find("<polyline") != std::string::npos);
      CHECK(svg.find("p50") != std::string::npos);
      CHECK(svg.find("p99") != std::string::npos);
      CHECK(svg.find("nan") == std::string::npos);
    }
    SUBCASE("one latency, all equal, and none still give a valid document") {
      CHECK(xml_problem(latency_svg(rec, "empty")) == "");
      rec.add(0.000150);
      rec.add(0.000150);
      std::string svg = latency_svg(rec, "one");
      CHECK(xml_problem(svg) == "");
      CHECK(svg.find("nan") == std::string::npos);
      CHECK(svg.find("inf") == std::string::npos);
    }
    SUBCASE("the checker itself catches a broken document") {
      CHECK(xml_problem("<svg><g></svg>") != "");
      CHECK(xml_problem("<svg>a & b</svg>") != "");
    }
  }
}
