#include "common/llm/breaker.hpp"

namespace m2g::llm {

bool CircuitBreaker::allow() {
  switch (m_state) {
  case State::closed:
    return true;
  case State::open:
    if (m_clock.now() - m_opened_at >= m_options.cooldown) {
      m_state = State::half_open;
      return true;
    }
    return false;
  case State::half_open:
    return false; // one probe at a time
  }
  return false;
}

void CircuitBreaker::record_success() {
  m_state = State::closed;
  m_failures = 0;
}

void CircuitBreaker::record_failure() {
  ++m_failures;
  if (m_state == State::half_open) {
    open();
  } else if (m_state == State::closed && m_options.failure_threshold > 0 && m_failures >= m_options.failure_threshold) {
    open();
  }
  // Already open: requests sent before it opened are still failing; the cooldown stands.
}

void CircuitBreaker::open() {
  m_state = State::open;
  m_opened_at = m_clock.now();
  ++m_openings;
}

const char* state_name(CircuitBreaker::State state) {
  switch (state) {
  case CircuitBreaker::State::closed:
    return "closed";
  case CircuitBreaker::State::open:
    return "open";
  case CircuitBreaker::State::half_open:
    return "half-open";
  }
  return "closed";
}

} // namespace m2g::llm
