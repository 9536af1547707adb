#include "common/progress/job_line.hpp"

#include "common/progress/fields.hpp"

#include <array>

namespace m2g::progress {
namespace {

enum Field : size_t { chat_id, status_message_id, message_id, id, step, text, pct, file, url, title, duplicate, issue };
constexpr std::array<std::string_view, 12> k_fields{
    "chat_id", "status_message_id", "message_id", "id", "step", "text", "pct", "file", "url",
    "title",   "duplicate",         "issue"};

// An integer field as Outbox::accept reads it (0 unless an integer), or nothing when this
// reader cannot be sure (an integer beyond 64 bits, which the parser would wrap).
std::optional<int64_t> integer_or_zero(const RawValue& value) {
  if (value.type != RawValue::Type::number) {
    return 0;
  }
  if (auto number = value.integer()) {
    return number;
  }
  if (value.text.find_first_of(".eE") != std::string_view::npos) {
    return 0; // a float is not an id
  }
  return std::nullopt;
}

} // namespace

std::optional<JobLine> read_job_line(std::string_view raw, jsonl::Kind kind) {
  if (kind != jsonl::Kind::progress && kind != jsonl::Kind::result) {
    return std::nullopt;
  }
  std::array<RawValue, k_fields.size()> v;
  if (!find_members(raw, k_fields, v)) {
    return std::nullopt;
  }
  auto chat = v[chat_id].integer();
  auto status = integer_or_zero(v[status_message_id]);
  auto reply_to = integer_or_zero(v[message_id]);
  if (!chat || !status || !reply_to || v[issue].present()) {
    return std::nullopt;
  }
  JobLine line;
  line.chat = *chat;
  line.status_message_id = *status;
  line.message_id = *reply_to;
  line.id = v[id].string();
  if (kind == jsonl::Kind::progress) {
    line.frame = pack_status(progress_text(v[step].string(), v[text].string(), v[pct].number()), {});
    line.frame.from_progress = true;
  } else {
    line.frame = pack_status(result_text(v[file].string(), v[duplicate].is_true(), v[title].string()), v[url].string());
    line.frame.final = true;
    line.frame.ends_job = true;
  }
  return line;
}

} // namespace m2g::progress
