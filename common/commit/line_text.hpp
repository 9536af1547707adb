#pragma once
// Lines written straight as text. A pushed batch answers every job at once, and built through
// nlohmann (parse the job's shared fields, add the result's, dump) ten thousand result lines
// cost ~5 µs each, on the critical path between the push and the last answer. ObjectText
// writes the same bytes jsonl::dump would (members in key order, strings escaped as nlohmann
// escapes them) from views and a reused scratch buffer: one allocation per line.

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace m2g::commit {

/// Append `text` to `out` as a JSON string, escaped as jsonl::dump escapes it (UTF-8 is kept as
/// it is; control characters become \b \t \n \f \r or \u00xx; invalid UTF-8 becomes U+FFFD).
void append_json_string(std::string& out, std::string_view text);
/// The length append_json_string() adds for `text`, which must be valid UTF-8 (a body sized
/// before it is written is never copied by growing).
size_t json_string_size(std::string_view text);

/// One JSON object assembled from members, written in key order as nlohmann orders them. A
/// member added twice keeps its last value, as `object[key] = value` would.
class ObjectText {
public:
  /// Forget the members (the scratch buffer's memory is kept for the next object).
  void clear();
  /// A member whose value is JSON text already. Both views must stay valid until finish().
  void raw(std::string_view key, std::string_view json);
  void string(std::string_view key, std::string_view value);
  void integer(std::string_view key, int64_t value);
  void boolean(std::string_view key, bool value);
  void value(std::string_view key, const nlohmann::json& value);
  /// Every member of `object`, compact JSON text as jsonl::dump writes it ("{...}", or its
  /// inside without the braces). The text must stay valid until finish().
  void members_of(std::string_view object);
  /// The object as one line; the members are cleared.
  std::string finish();

private:
  struct Member {
    std::string_view key;
    std::string_view text;     ///< the value, when it lives outside the scratch buffer
    size_t begin = 0, end = 0; ///< else its span in m_scratch (which may move as it grows)
    bool in_scratch = false;
  };
  void scratch_member(std::string_view key, size_t begin);

  std::vector<Member> m_members;
  std::string m_scratch;
};

} // namespace m2g::commit
