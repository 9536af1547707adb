#pragma once
// An optional value kept on the heap: a pointer's size when empty. Job has parts that most
// jobs lack (a photo, an issue); held inline they made every job of a ten-thousand-job batch
// carry a few hundred bytes of nothing. Copies are deep, like std::optional's.

#include <memory>
#include <utility>

namespace m2g::commit {

template <class T> class Boxed {
public:
  Boxed() = default;
  Boxed(const Boxed& other) : m_value(other.m_value ? std::make_unique<T>(*other.m_value) : nullptr) {}
  Boxed(Boxed&&) noexcept = default;
  Boxed& operator=(const Boxed& other) {
    m_value = other.m_value ? std::make_unique<T>(*other.m_value) : nullptr;
    return *this;
  }
  Boxed& operator=(Boxed&&) noexcept = default;
  Boxed& operator=(T value) {
    m_value = std::make_unique<T>(std::move(value));
    return *this;
  }

  explicit operator bool() const { return m_value != nullptr; }
  bool has_value() const { return m_value != nullptr; }
  T& operator*() { return *m_value; }
  const T& operator*() const { return *m_value; }
  T* operator->() { return m_value.get(); }
  const T* operator->() const { return m_value.get(); }
  void reset() { m_value.reset(); }

private:
  std::unique_ptr<T> m_value;
};

} // namespace m2g::commit
