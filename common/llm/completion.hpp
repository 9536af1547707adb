#pragma once
// Judging one chat-completions answer: success with a title, a failure worth retrying (429
// rate limit, 5xx, a network error, a reply without a usable title), or a failure that will not
// heal by retrying (429 insufficient_quota, 402, 401, other 4xx). Kept free of HTTP plumbing so
// it can be tested on plain values.

#include "common/core/clock.hpp"
#include "common/llm/reply.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace m2g::llm {

/// Tokens billed for a request (the response's "usage").
struct Usage {
  int64_t prompt_tokens = 0;
  int64_t completion_tokens = 0;
};

enum class Verdict {
  ok,      ///< a usable title
  retry,   ///< try again after a backoff (or the server's Retry-After)
  give_up, ///< retrying cannot help: fall back now
};

/// What one HTTP exchange came to.
struct Attempt {
  Verdict verdict = Verdict::retry;
  std::optional<TitleReply> reply;   ///< set when ok
  std::optional<Usage> usage;        ///< tokens billed by this attempt, if reported
  std::optional<Millis> retry_after; ///< the server's requested wait, if it sent one
  std::string reason;                ///< plain words for the log ("HTTP 503", "timed out")
};

/// The parts of an HTTP exchange that decide it.
struct Exchange {
  int status = 0; ///< 0: no HTTP response (transport error)
  std::string_view body;
  std::string_view retry_after;     ///< the Retry-After header, "" if absent
  std::string_view transport_error; ///< curl's message when status is 0
  int curl_code = 0;
};

/// Judge one exchange; `now_unix_ms` resolves a Retry-After given as an HTTP date.
Attempt assess(const Exchange& exchange, int64_t now_unix_ms);

/// Retry-After as delta-seconds ("120") or an HTTP date; nullopt when unreadable.
std::optional<Millis> parse_retry_after(std::string_view value, int64_t now_unix_ms);

} // namespace m2g::llm
