#pragma once
// The JSON-lines contract (man/m2g.7) in code: the version, the kinds, the shared fields, and
// the decoder every stage uses. A Line keeps its raw text so pass-through forwards it byte for
// byte; the DOM is built only when a stage asks for it.

#include "common/core/error.hpp"

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

namespace m2g::jsonl {

using json = nlohmann::json;

/// The contract version this build reads and writes (field "v").
inline constexpr int64_t k_version = 1;
/// The longest line a stage accepts; longer ones are rejected whole.
inline constexpr size_t k_max_line_bytes = 1 << 20;

/// The kinds of line (field "kind"). `other` is any kind this build does not know: it is
/// forwarded untouched, never dropped.
enum class Kind { update, job, action, progress, result, rejection, error, other };

Kind kind_from_name(std::string_view name);
const char* kind_name(Kind kind);

/// One decoded input line.
class Line {
public:
  Line() = default;
  Line(std::string raw, size_t number, Kind kind, std::string id)
      : m_raw(std::move(raw)), m_number(number), m_kind(kind), m_id(std::move(id)) {}

  const std::string& raw() const { return m_raw; }
  std::string take_raw() { return std::move(m_raw); }
  size_t number() const { return m_number; }
  Kind kind() const { return m_kind; }
  /// The stable id ("id"), empty if the line has none.
  const std::string& id() const { return m_id; }
  /// The parsed object, built on first use.
  json& json_value();
  /// The queue entry this line came from, if any (field "qid").
  std::optional<std::string> qid();

private:
  std::string m_raw;
  size_t m_number = 0;
  Kind m_kind = Kind::other;
  std::string m_id;
  std::optional<json> m_json;
};

/// Decode one raw line (without its newline) against the contract: a JSON object with
/// "v" == k_version and a string "kind". Fails with the reason in plain words.
Result<Line> decode(std::string raw, size_t number);

/// Validate that `raw` is one JSON object, without the contract's field rules (m2g-queue stores
/// any object). Fails with the reason.
Result<void> validate_object(std::string_view raw);

/// A new line of `kind` with "v", "kind" and "ts" set.
json make(Kind kind, std::string_view id = {});
/// A new line of `kind` that carries the shared fields of `from` (id, chat_id, user_id,
/// message_id, t0, qid, repo, status_message_id): results, progress and errors of a job.
json derive(const json& from, Kind kind);
/// Compact one-line serialization; invalid UTF-8 is replaced, never thrown on.
std::string dump(const json& value);
/// `raw` (a JSON object) with top-level `key` set to string `value`, changing nothing else.
std::string with_string_field(const std::string& raw, std::string_view key, std::string_view value);
/// Current Unix time in milliseconds (the "ts" clock).
int64_t now_ms();

} // namespace m2g::jsonl
