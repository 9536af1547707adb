#pragma once
// End-to-end latencies of one benchmark run: samples in seconds, their percentiles and a
// histogram for the plot. Percentiles are nearest-rank (the value of a real sample, never an
// interpolation between two), so "p99 = 7.41 s" means a message really took 7.41 s.

#include <cstddef>
#include <vector>

namespace m2g::bench {

/// One bin of a histogram: [low, high) seconds, and how many samples fell in it.
struct Bin {
  double low = 0;
  double high = 0;
  size_t count = 0;
};

class LatencyRecorder {
public:
  /// Record one latency in seconds (negative values are clamped to 0).
  void add(double seconds);
  size_t count() const { return m_samples.size(); }
  bool empty() const { return m_samples.empty(); }

  /// Nearest-rank percentile, `p` in [0, 100]: the smallest sample with at least p% of the
  /// samples at or below it (p = 0 gives the minimum). 0 when there are no samples.
  double percentile(double p) const;
  double min() const { return percentile(0); }
  double max() const { return percentile(100); }
  double mean() const;

  /// `bins` equal-width bins from the minimum to the maximum (the last bin includes the
  /// maximum). One bin when every sample is equal; none when there are no samples.
  std::vector<Bin> histogram(size_t bins) const;
  /// The samples, sorted ascending (for a CDF).
  const std::vector<double>& sorted() const;

private:
  mutable std::vector<double> m_samples;
  mutable bool m_sorted = true;
};

} // namespace m2g::bench
