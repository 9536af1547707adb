#include "common/jsonl/line.hpp"

#include "common/core/clock.hpp"
#include "common/core/exit_codes.hpp"
#include "common/jsonl/scan.hpp"

#include <array>

namespace m2g::jsonl {
namespace {

constexpr std::array<std::pair<Kind, const char*>, 7> k_kinds{{
    {Kind::update, "update"},
    {Kind::job, "job"},
    {Kind::action, "action"},
    {Kind::progress, "progress"},
    {Kind::result, "result"},
    {Kind::rejection, "rejection"},
    {Kind::error, "error"},
}};

// The fields a derived line inherits from the line it answers.
constexpr std::array<const char*, 9> k_shared_fields{"id",  "chat_id", "user_id", "message_id",       "t0",
                                                     "qid", "repo",    "target",  "status_message_id"};

std::string describe_scan_error(const char* what, size_t offset) {
  return std::string("malformed JSON: ") + what + " at byte " + std::to_string(offset + 1);
}

std::string decode_escaped(std::string_view raw_inner) {
  std::string quoted = "\"" + std::string(raw_inner) + "\"";
  return json::parse(quoted).get<std::string>();
}

} // namespace

Kind kind_from_name(std::string_view name) {
  for (const auto& [kind, text] : k_kinds) {
    if (name == text) {
      return kind;
    }
  }
  return Kind::other;
}

const char* kind_name(Kind kind) {
  for (const auto& [k, text] : k_kinds) {
    if (k == kind) {
      return text;
    }
  }
  return "other";
}

json& Line::json_value() {
  if (!m_json) {
    m_json = json::parse(m_raw);
  }
  return *m_json;
}

std::optional<std::string> Line::qid() {
  if (m_raw.find("\"qid\"") == std::string::npos) {
    return std::nullopt;
  }
  auto& value = json_value();
  auto it = value.find("qid");
  if (it == value.end() || !it->is_string()) {
    return std::nullopt;
  }
  return it->get<std::string>();
}

Result<void> validate_object(std::string_view raw) {
  ScanInfo info;
  size_t offset = 0;
  if (const char* what = scan(raw, info, offset)) {
    return fail(exit_code::k_dataerr, describe_scan_error(what, offset));
  }
  if (!info.is_object) {
    return fail(exit_code::k_dataerr, "not a JSON object");
  }
  return {};
}

Result<Line> decode(std::string raw, size_t number) {
  ScanInfo info;
  size_t offset = 0;
  if (const char* what = scan(raw, info, offset)) {
    return fail(exit_code::k_dataerr, describe_scan_error(what, offset));
  }
  if (!info.is_object) {
    return fail(exit_code::k_dataerr, "not a JSON object");
  }
  if (!info.has_version) {
    return fail(exit_code::k_dataerr, "missing contract version field \"v\" (see m2g(7))");
  }
  if (info.version != k_version) {
    return fail(exit_code::k_dataerr, "unsupported contract version " + std::to_string(info.version) +
                                          " (this build speaks " + std::to_string(k_version) + ")");
  }
  if (info.kind.data() == nullptr) {
    return fail(exit_code::k_dataerr, "missing string field \"kind\" (see m2g(7))");
  }
  std::string kind_text = info.kind_escaped ? decode_escaped(info.kind) : std::string(info.kind);
  std::string id = info.id_escaped ? decode_escaped(info.id) : std::string(info.id);
  Kind kind = kind_from_name(kind_text);
  return Line(std::move(raw), number, kind, std::move(id));
}

int64_t now_ms() {
  return SystemClock::instance().unix_ms();
}

json make(Kind kind, std::string_view id) {
  json out = json::object();
  out["v"] = k_version;
  out["kind"] = kind_name(kind);
  if (!id.empty()) {
    out["id"] = id;
  }
  out["ts"] = now_ms();
  return out;
}

json derive(const json& from, Kind kind) {
  json out = make(kind);
  for (const char* field : k_shared_fields) {
    auto it = from.find(field);
    if (it != from.end()) {
      out[field] = *it;
    }
  }
  return out;
}

std::string dump(const json& value) {
  return value.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string with_string_field(const std::string& raw, std::string_view key, std::string_view value) {
  std::string quoted_key = "\"" + std::string(key) + "\"";
  if (raw.find(quoted_key) != std::string::npos) {
    // The key may already exist (or appear in a value): let the parser decide.
    json parsed = json::parse(raw);
    parsed[std::string(key)] = value;
    return dump(parsed);
  }
  // Fast path: insert right after the opening brace; the object stays valid and unchanged.
  auto brace = raw.find('{');
  std::string field = quoted_key + ":" + dump(json(value));
  bool empty_object = raw.find_first_not_of(" \t\r\n", brace + 1) == raw.find('}', brace + 1);
  std::string out;
  out.reserve(raw.size() + field.size() + 1);
  out.append(raw, 0, brace + 1);
  out += field;
  if (!empty_object) {
    out += ',';
  }
  out.append(raw, brace + 1, std::string::npos);
  return out;
}

} // namespace m2g::jsonl
