#pragma once
// A job's progress or result line as the outbox takes it: who is told (chat, status message,
// the person's message, the job id) and the state shown, packed as it waits. Read straight
// from the line's text (fields.hpp), so the 10,000 results of a big batch cost a few
// microseconds each rather than a parse into a DOM each.

#include "common/jsonl/line.hpp"
#include "common/progress/slots.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace m2g::progress {

struct JobLine {
  int64_t chat = 0;              ///< chat_id (an integer: "@channel" lines take the full parse)
  int64_t status_message_id = 0; ///< 0: none given
  int64_t message_id = 0;        ///< the person's message, 0: none
  std::string id;                ///< the job id, empty if none
  PackedFrame frame;             ///< the state, as pack(render_progress/result(line)) gives it
};

/// Read a progress or result line (the kinds the fast path knows) from its text, which
/// jsonl::decode has validated. Nothing when the line needs the full parse to be read right
/// (a chat_id that is not an integer, an issue result, an odd number, a key with escapes):
/// the caller then hands its DOM to Outbox::accept, which reads it the same way.
std::optional<JobLine> read_job_line(std::string_view raw, jsonl::Kind kind);

} // namespace m2g::progress
