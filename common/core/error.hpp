#pragma once
// Two error layers, as in ccache: functions that can fail in expected ways return Result<T>;
// m2g::Error is thrown only where the process must end, and caught only in main_wrapper.

#include <stdexcept>
#include <string>
#include <utility>
#include <variant>

namespace m2g {

/// A failure that ends the process with `exit_code`; `what()` is the user-facing message
/// (lowercase, no final period, subject in quotes).
class Error : public std::runtime_error {
public:
  Error(int exit_code, const std::string& message) : std::runtime_error(message), m_exit_code(exit_code) {}
  int exit_code() const { return m_exit_code; }

private:
  int m_exit_code;
};

/// The error half of a Result: a message and the exit code it would map to if fatal.
struct Failure {
  std::string message;
  int exit_code = 70;
};

/// A value or a Failure (std::expected is not in GCC 12's C++20).
template <typename T> class Result {
public:
  Result(T value) : m_v(std::move(value)) {}
  Result(Failure failure) : m_v(std::move(failure)) {}

  bool ok() const { return m_v.index() == 0; }
  explicit operator bool() const { return ok(); }
  T& value() { return std::get<0>(m_v); }
  const T& value() const { return std::get<0>(m_v); }
  T& operator*() { return value(); }
  T* operator->() { return &value(); }
  const Failure& failure() const { return std::get<1>(m_v); }
  const std::string& error() const { return failure().message; }
  /// The value, or throw the failure as a fatal m2g::Error.
  T take_or_throw() {
    if (!ok()) {
      throw Error(failure().exit_code, failure().message);
    }
    return std::move(value());
  }

private:
  std::variant<T, Failure> m_v;
};

/// Result<void>: success or a Failure.
template <> class Result<void> {
public:
  Result() = default;
  Result(Failure failure) : m_failure(std::move(failure)), m_ok(false) {}
  bool ok() const { return m_ok; }
  explicit operator bool() const { return m_ok; }
  const Failure& failure() const { return m_failure; }
  const std::string& error() const { return m_failure.message; }
  void throw_if_failed() const {
    if (!m_ok) {
      throw Error(m_failure.exit_code, m_failure.message);
    }
  }

private:
  Failure m_failure;
  bool m_ok = true;
};

inline Failure fail(int exit_code, std::string message) {
  return Failure{std::move(message), exit_code};
}

} // namespace m2g

/// Propagate a failed Result from the current function.
#define M2G_TRY(expr)                                                                                                  \
  do {                                                                                                                 \
    auto&& m2g_try_result_ = (expr);                                                                                   \
    if (!m2g_try_result_.ok()) {                                                                                       \
      return m2g_try_result_.failure();                                                                                \
    }                                                                                                                  \
  } while (0)
