#pragma once
// A circuit breaker for one endpoint: after N failures in a row it opens and requests are not
// sent at all (their jobs get the fallback title at once) until a cooldown has passed; then a
// single probe goes out (half-open). The probe's success closes the circuit, its failure opens
// it for another cooldown. This keeps a dead or over-quota endpoint from being hammered by
// thousands of jobs and their retries.

#include "common/core/clock.hpp"

#include <cstdint>

namespace m2g::llm {

struct BreakerOptions {
  int failure_threshold = 20; ///< consecutive failures that open the circuit; 0 = never open
  Millis cooldown{30000};     ///< how long it stays open before a probe
};

class CircuitBreaker {
public:
  enum class State { closed, open, half_open };

  CircuitBreaker(const Clock& clock, BreakerOptions options) : m_clock(clock), m_options(options) {}

  /// Whether a request may be sent now. While open, the first call after the cooldown turns
  /// the circuit half-open and returns true: that request is the probe. Other calls while
  /// open or half-open return false.
  bool allow();
  /// A request succeeded: the circuit closes and the failure count restarts.
  void record_success();
  /// A request failed: count it; open the circuit at the threshold, or again after a failed probe.
  void record_failure();

  State state() const { return m_state; }
  int consecutive_failures() const { return m_failures; }
  /// How often the circuit has opened.
  uint64_t openings() const { return m_openings; }

private:
  void open();

  const Clock& m_clock;
  BreakerOptions m_options;
  State m_state = State::closed;
  int m_failures = 0;
  uint64_t m_openings = 0;
  TimePoint m_opened_at{};
};

/// "closed", "open" or "half-open".
const char* state_name(CircuitBreaker::State state);

} // namespace m2g::llm
