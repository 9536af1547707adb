#include "common/bench/latency.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace m2g::bench {

void LatencyRecorder::add(double seconds) {
  double value = seconds > 0 ? seconds : 0.0;
  if (!m_samples.empty() && value < m_samples.back()) {
    m_sorted = false;
  }
  m_samples.push_back(value);
}

const std::vector<double>& LatencyRecorder::sorted() const {
  if (!m_sorted) {
    std::sort(m_samples.begin(), m_samples.end());
    m_sorted = true;
  }
  return m_samples;
}

double LatencyRecorder::percentile(double p) const {
  const auto& samples = sorted();
  if (samples.empty()) {
    return 0;
  }
  p = std::clamp(p, 0.0, 100.0);
  // Nearest rank: ceil(p/100 * n), 1-based; p = 0 is the first sample.
  auto rank = static_cast<size_t>(std::ceil(p / 100.0 * static_cast<double>(samples.size())));
  rank = std::clamp<size_t>(rank, 1, samples.size());
  return samples[rank - 1];
}

double LatencyRecorder::mean() const {
  if (m_samples.empty()) {
    return 0;
  }
  return std::accumulate(m_samples.begin(), m_samples.end(), 0.0) / static_cast<double>(m_samples.size());
}

std::vector<Bin> LatencyRecorder::histogram(size_t bins) const {
  const auto& samples = sorted();
  std::vector<Bin> out;
  if (samples.empty() || bins == 0) {
    return out;
  }
  double low = samples.front();
  double high = samples.back();
  if (high <= low) {
    out.push_back({low, low, samples.size()});
    return out;
  }
  double width = (high - low) / static_cast<double>(bins);
  out.resize(bins);
  for (size_t i = 0; i < bins; ++i) {
    out[i].low = low + width * static_cast<double>(i);
    out[i].high = i + 1 == bins ? high : low + width * static_cast<double>(i + 1);
  }
  for (double value : samples) {
    auto index = static_cast<size_t>((value - low) / width);
    out[std::min(index, bins - 1)].count++;
  }
  return out;
}

} // namespace m2g::bench
