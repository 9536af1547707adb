#pragma once
// --plot FILE.svg: the latency distribution of a run as a plain SVG (no library): a histogram
// of the end-to-end latencies with their cumulative share (CDF) drawn over it, the p50 and
// p99 marked. Text is XML-escaped, so scenario names cannot break the file.

#include "common/bench/latency.hpp"

#include <string>

namespace m2g::bench {

/// Escape &, <, >, " and ' for XML text and attribute values.
std::string xml_escape(const std::string& text);

/// An SVG document plotting `latencies` (seconds) under `title`.
std::string latency_svg(const LatencyRecorder& latencies, const std::string& title);

} // namespace m2g::bench
