#pragma once
// The Bot API's answer to one call, sorted into the few cases a client treats differently.
// Telegram answers {"ok":true,"result":...} or {"ok":false,"error_code":N,"description":"...",
// "parameters":{"retry_after":S}}; a proxy or an outage may answer anything else, which is
// classified as transient rather than trusted.

#include "common/core/clock.hpp"

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace m2g::telegram {

using json = nlohmann::json;

/// How a call ended.
enum class Outcome {
  ok,           ///< done; Reply::result holds Telegram's result
  not_modified, ///< 400 "message is not modified": the message already shows that; treat as done
  gone,         ///< 400: the message to edit/delete/reply to does not exist (any more)
  rate_limited, ///< 429: wait Reply::retry_after, then try again
  transient,    ///< 5xx, a network failure, or an answer that is not the Bot API's JSON: retry later
  unauthorized, ///< 401: the token is wrong; nothing will succeed
  forbidden,    ///< 403: the bot was blocked or kicked; calls for that chat will not succeed
  conflict,     ///< 409: a webhook is set, or another getUpdates poller uses the token
  not_found,    ///< 404: no such method, or a malformed token (Telegram answers 404 then)
  bad_request,  ///< any other 4xx: this call will never succeed as it is
};

/// A short name for logs: "rate_limited".
const char* outcome_name(Outcome outcome);

struct Reply {
  Outcome outcome = Outcome::transient;
  int status = 0;          ///< HTTP status (0: no HTTP response)
  int error_code = 0;      ///< Telegram's error_code (0 when absent)
  json result;             ///< Telegram's "result" when ok
  std::string description; ///< Telegram's "description", or what went wrong in transport/parsing
  Millis retry_after{0};   ///< for rate_limited: parameters.retry_after (or the description's number)

  bool ok() const { return outcome == Outcome::ok; }
  /// True for outcomes worth retrying as they are (rate_limited, transient).
  bool retryable() const { return outcome == Outcome::rate_limited || outcome == Outcome::transient; }
  /// "429 Too Many Requests: retry after 5" / "transport error: ..." for messages; no secrets.
  std::string summary() const;
};

/// Sort an HTTP answer into a Reply. `transport_error` is non-empty when no HTTP response
/// arrived (status is then 0). Never throws, whatever `body` holds.
Reply classify(int status, std::string_view body, std::string_view transport_error = {});

/// True for Telegram's 400 "message is not modified" description.
bool is_not_modified(std::string_view description);

} // namespace m2g::telegram
