#pragma once
// Time behind a seam: production code asks a Clock, unit tests inject a ManualClock and move
// time by hand instead of sleeping.

#include <chrono>
#include <cstdint>

namespace m2g {

using Millis = std::chrono::milliseconds;
using TimePoint = std::chrono::steady_clock::time_point;

/// Monotonic time plus wall time, injectable.
class Clock {
public:
  virtual ~Clock() = default;
  /// Monotonic time, for timeouts, rates and backoff.
  virtual TimePoint now() const = 0;
  /// Unix time in milliseconds, for timestamps written on lines and in files.
  virtual int64_t unix_ms() const = 0;
};

/// The real clocks.
class SystemClock final : public Clock {
public:
  TimePoint now() const override { return std::chrono::steady_clock::now(); }
  int64_t unix_ms() const override {
    return std::chrono::duration_cast<Millis>(std::chrono::system_clock::now().time_since_epoch()).count();
  }
  /// A process-wide instance for code that is not under test.
  static SystemClock& instance() {
    static SystemClock clock;
    return clock;
  }
};

/// A clock that moves only when told to; for unit tests.
class ManualClock final : public Clock {
public:
  explicit ManualClock(int64_t unix_ms_start = 1'700'000'000'000) : m_unix_ms(unix_ms_start) {}
  TimePoint now() const override { return m_now; }
  int64_t unix_ms() const override { return m_unix_ms; }
  void advance(std::chrono::nanoseconds d) {
    m_now += d;
    m_unix_ms += std::chrono::duration_cast<Millis>(d).count();
  }

private:
  TimePoint m_now{};
  int64_t m_unix_ms;
};

} // namespace m2g
