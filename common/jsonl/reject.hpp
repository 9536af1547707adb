#pragma once
// How a stage reports a bad line: "m2g-<tool>: warning: line N: <reason>" on stderr, the
// original bytes appended to the --reject file when one is given, and the stage goes on.

#include "common/core/error.hpp"

#include <cstdio>
#include <string>
#include <string_view>

namespace m2g::jsonl {

class RejectSink {
public:
  /// `path` empty: report on stderr only. Throws m2g::Error (73) if the file cannot be opened.
  explicit RejectSink(const std::string& path);
  ~RejectSink();
  RejectSink(const RejectSink&) = delete;
  RejectSink& operator=(const RejectSink&) = delete;

  /// Report line `number` as rejected for `reason` and keep its bytes.
  void reject(size_t number, std::string_view reason, std::string_view raw);
  /// The same, for input that is not numbered lines (e.g. "entry inbox:42" of a queue).
  void reject(std::string_view where, std::string_view reason, std::string_view raw);
  /// For lines over the length limit, whose bytes arrive in parts.
  void begin_long(size_t number, size_t limit);
  void long_part(std::string_view bytes);
  void end_long();
  /// How many lines were rejected so far.
  size_t count() const { return m_count; }
  void flush();

private:
  FILE* m_file = nullptr;
  size_t m_count = 0;
};

} // namespace m2g::jsonl
