#pragma once
// Drop mode's output for a refused line: a `rejection` line (m2g(7)) that the chat side turns
// into "slow down, try again in 2 s", and a copy of the refused line for the --reject file.

#include "common/jsonl/line.hpp"
#include "common/limit/key_path.hpp"
#include "common/limit/limiter.hpp"

#include <string>
#include <string_view>

namespace m2g::limit {

/// What the rejection says about the limit that refused the line.
struct RefusalInfo {
  std::string_view key_name; ///< the --key path, e.g. "user_id"
  KeyValue key;              ///< the key's value in the line (missing: null)
  Verdict verdict;
  double rate = 0;  ///< the refusing bucket's rate
  double burst = 0; ///< and burst
};

/// The rejection line for `line`: the shared fields derived from it, reason, bucket, key,
/// retry_after_ms (at least 1) and line (the refused line as an object).
std::string make_rejection(jsonl::Line& line, const RefusalInfo& info);

/// Appends refused lines to the --reject file, one write(2) per loop round (O_APPEND, whole
/// lines only, so it interleaves safely with the stage runtime's own reject sink).
class RefusalCopy {
public:
  /// `path` empty: keep nothing. Throws m2g::Error (73) when the file cannot be opened.
  explicit RefusalCopy(const std::string& path);
  ~RefusalCopy();
  RefusalCopy(const RefusalCopy&) = delete;
  RefusalCopy& operator=(const RefusalCopy&) = delete;

  bool enabled() const { return m_fd >= 0; }
  /// Buffer one line; returns true when the buffer was empty (the caller schedules a flush).
  bool add(std::string_view line);
  void flush();

private:
  int m_fd = -1;
  std::string m_buffer;
};

} // namespace m2g::limit
