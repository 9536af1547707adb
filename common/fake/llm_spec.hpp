#pragma once
// What the fake LLM server is told to do: how long to wait before answering (a fixed delay, a
// uniform range, or a normal distribution) and which faults to inject at which rates, plus the
// deterministic title it derives from a note. Parsed from the command line, tested alone.

#include "common/core/error.hpp"

#include <chrono>
#include <random>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace m2g::fake {

using Micros = std::chrono::microseconds;

/// "150us", "150µs", "2.5ms", "5s", "1m"; a bare number is milliseconds.
Result<Micros> parse_micros(std::string_view text);

/// A response delay: fixed, uniform in [low, high], or normal(mean, stddev) clamped at 0.
struct Latency {
  enum class Shape { fixed, uniform, normal };
  Shape shape = Shape::fixed;
  Micros a{0}; ///< the delay, the low bound or the mean
  Micros b{0}; ///< the high bound or the standard deviation
  Micros sample(std::mt19937_64& rng) const;
};

/// "5s", "100ms..2s" or "normal:1s,200ms".
Result<Latency> parse_latency(std::string_view spec);

/// The faults the fake can inject into an answer.
enum class Fault {
  none,
  rate_limit,   ///< "429": 429 rate_limit_exceeded with Retry-After
  quota,        ///< "quota": 429 insufficient_quota (must not be retried)
  server_error, ///< "500"
  overloaded,   ///< "503" with Retry-After
  hang,         ///< "hang": never answer (the client's timeout must end it)
  drop,         ///< "drop": close the connection without an answer
  garbage,      ///< "garbage": 200 with a body that is not JSON
  fence,        ///< "fence": the JSON title wrapped in a ``` code fence with prose around it
  empty,        ///< "empty": 200 with empty content (a DeepSeek JSON-mode quirk)
};

/// The name used in --fault specs ("429", "hang", ...).
const char* fault_name(Fault fault);

/// Fault rates; what is left over up to 1 answers normally.
struct FaultMix {
  std::vector<std::pair<Fault, double>> rates;
  Fault pick(std::mt19937_64& rng) const;
};

/// "429=0.1,500=0.05,hang=0.01,garbage=0.02,fence=0.1"; rates in [0, 1], summing to at most 1.
Result<FaultMix> parse_faults(std::string_view spec);

/// The fake's answer for a note: its first words as the title, and two tags (the first word
/// of three or more ASCII letters, and one derived from a hash of the text).
struct FakeTitle {
  std::string title;
  std::vector<std::string> hashtags;
};
FakeTitle fake_title(std::string_view text);

} // namespace m2g::fake
