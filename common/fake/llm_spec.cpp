#include "common/fake/llm_spec.hpp"

#include "common/core/exit_codes.hpp"
#include "common/llm/text.hpp"

#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace m2g::fake {
namespace {

constexpr size_t k_title_words = 6;
constexpr size_t k_title_bytes = 60;

Failure usage_error(std::string message) {
  return fail(exit_code::k_usage, std::move(message));
}

// A double that is the whole of `text`.
bool parse_number(std::string_view text, double& out) {
  std::string copy(text);
  char* end = nullptr;
  out = std::strtod(copy.c_str(), &end);
  return !copy.empty() && end == copy.c_str() + copy.size() && std::isfinite(out);
}

uint32_t fnv1a(std::string_view text) {
  uint32_t hash = 2166136261u;
  for (unsigned char c : text) {
    hash = (hash ^ c) * 16777619u;
  }
  return hash;
}

} // namespace

Result<Micros> parse_micros(std::string_view text) {
  static constexpr std::pair<std::string_view, double> k_units[] = {
      {"us", 1}, {"µs", 1}, {"ms", 1e3}, {"s", 1e6}, {"m", 60e6}};
  double scale = 1e3; // a bare number is milliseconds
  std::string_view number = text;
  for (auto [unit, factor] : k_units) {
    if (text.size() > unit.size() && text.substr(text.size() - unit.size()) == unit) {
      number = text.substr(0, text.size() - unit.size());
      scale = factor;
      break;
    }
  }
  double value = 0;
  if (!parse_number(number, value) || value < 0) {
    return usage_error("invalid duration '" + std::string(text) + "' (use e.g. 150us, 20ms, 5s)");
  }
  return Micros(static_cast<int64_t>(std::llround(value * scale)));
}

Micros Latency::sample(std::mt19937_64& rng) const {
  switch (shape) {
  case Shape::fixed:
    return a;
  case Shape::uniform:
    return Micros(std::uniform_int_distribution<int64_t>(a.count(), b.count())(rng));
  case Shape::normal: {
    double value =
        std::normal_distribution<double>(static_cast<double>(a.count()), static_cast<double>(b.count()))(rng);
    return Micros(std::max<int64_t>(0, std::llround(value)));
  }
  }
  return a;
}

Result<Latency> parse_latency(std::string_view spec) {
  Latency latency;
  auto two = [&](std::string_view rest, std::string_view separator, Latency::Shape shape) -> Result<Latency> {
    size_t at = rest.find(separator);
    if (at == std::string_view::npos) {
      return usage_error("invalid latency '" + std::string(spec) + "'");
    }
    auto first = parse_micros(rest.substr(0, at));
    auto second = parse_micros(rest.substr(at + separator.size()));
    if (!first.ok() || !second.ok()) {
      return usage_error("invalid latency '" + std::string(spec) + "' (use 5s, 100ms..2s or normal:1s,200ms)");
    }
    latency.shape = shape;
    latency.a = *first;
    latency.b = *second;
    if (shape == Latency::Shape::uniform && latency.b < latency.a) {
      return usage_error("invalid latency '" + std::string(spec) + "': the range ends before it starts");
    }
    return latency;
  };
  if (spec.substr(0, 7) == "normal:") {
    return two(spec.substr(7), ",", Latency::Shape::normal);
  }
  if (spec.find("..") != std::string_view::npos) {
    return two(spec, "..", Latency::Shape::uniform);
  }
  auto fixed = parse_micros(spec);
  if (!fixed.ok()) {
    return fixed.failure();
  }
  latency.a = *fixed;
  return latency;
}

const char* fault_name(Fault fault) {
  switch (fault) {
  case Fault::none:
    return "none";
  case Fault::rate_limit:
    return "429";
  case Fault::quota:
    return "quota";
  case Fault::server_error:
    return "500";
  case Fault::overloaded:
    return "503";
  case Fault::hang:
    return "hang";
  case Fault::drop:
    return "drop";
  case Fault::garbage:
    return "garbage";
  case Fault::fence:
    return "fence";
  case Fault::empty:
    return "empty";
  }
  return "none";
}

Fault FaultMix::pick(std::mt19937_64& rng) const {
  if (rates.empty()) {
    return Fault::none;
  }
  double u = std::uniform_real_distribution<double>(0.0, 1.0)(rng);
  for (const auto& [fault, rate] : rates) {
    if (u < rate) {
      return fault;
    }
    u -= rate;
  }
  return Fault::none;
}

Result<FaultMix> parse_faults(std::string_view spec) {
  static constexpr Fault k_all[] = {Fault::rate_limit, Fault::quota, Fault::server_error,
                                    Fault::overloaded, Fault::hang,  Fault::drop,
                                    Fault::garbage,    Fault::fence, Fault::empty};
  FaultMix mix;
  double total = 0;
  while (!spec.empty()) {
    size_t comma = spec.find(',');
    std::string_view item = spec.substr(0, comma);
    spec = comma == std::string_view::npos ? std::string_view() : spec.substr(comma + 1);
    size_t equals = item.find('=');
    double rate = 0;
    if (equals == std::string_view::npos || !parse_number(item.substr(equals + 1), rate) || rate < 0 || rate > 1) {
      return usage_error("invalid fault '" + std::string(item) + "' (use NAME=RATE with RATE in 0..1)");
    }
    std::string_view name = item.substr(0, equals);
    const Fault* found = nullptr;
    for (const Fault& fault : k_all) {
      found = name == fault_name(fault) ? &fault : found;
    }
    if (found == nullptr) {
      return usage_error("unknown fault '" + std::string(name) +
                         "' (known: 429, quota, 500, 503, hang, drop, garbage, fence, empty)");
    }
    mix.rates.emplace_back(*found, rate);
    total += rate;
  }
  if (total > 1.0 + 1e-9) {
    return usage_error("fault rates add up to more than 1");
  }
  return mix;
}

FakeTitle fake_title(std::string_view text) {
  FakeTitle out;
  bool cut = false;
  out.title = llm::shorten(llm::first_words(text, k_title_words, cut), k_title_bytes);
  if (out.title.empty()) {
    out.title = "Untitled note";
  } else if (out.title[0] >= 'a' && out.title[0] <= 'z') {
    out.title[0] = static_cast<char>(out.title[0] - 'a' + 'A');
  }
  for (std::string_view word : llm::split_words(text)) {
    std::string tag;
    for (char c : word) {
      if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
        tag += c;
      } else if (c >= 'A' && c <= 'Z') {
        tag += static_cast<char>(c - 'A' + 'a');
      }
    }
    if (tag.size() >= 3) {
      out.hashtags.push_back("#" + tag);
      break;
    }
  }
  char hashed[16];
  std::snprintf(hashed, sizeof hashed, "#t%04x", fnv1a(text) & 0xFFFF);
  out.hashtags.emplace_back(hashed);
  return out;
}

} // namespace m2g::fake
