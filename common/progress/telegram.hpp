#pragma once
// The seam between m2g-progress and the Bot API: a Call (method + parameters), the Reply it
// got, sorted into the few cases the outbox treats differently, and the Transport that makes
// calls asynchronously. The real transport (http_transport.hpp) posts JSON over common/http on
// the event loop; unit tests drive the outbox with a transport they answer by hand.

#include "common/core/clock.hpp"

#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace m2g::progress {

using json = nlohmann::json;

/// One Bot API call.
struct Call {
  std::string method;
  json params = json::object();
  /// The request body, already serialized: when set, it is sent instead of `params` (a status
  /// message's call is written straight from its packed frame, without building a DOM).
  std::string body;
};

/// How a call ended, as far as retrying and the status message are concerned.
enum class Outcome {
  ok,           ///< done; `result` holds Telegram's result
  not_modified, ///< 400 "message is not modified": the message already shows it, done
  gone,         ///< the message to edit or delete does not exist (deleted, too old to edit)
  rate_limited, ///< 429: wait `retry_after`, then send again
  transient,    ///< 5xx, a network failure, a reply that is not the Bot API's JSON: retry later
  unauthorized, ///< 401: the token is wrong; nothing will ever succeed
  forbidden,    ///< 403 (the bot was blocked, kicked) or the chat does not exist: drop the chat's call
  bad_request,  ///< any other 4xx: this call will never succeed as it is
};

struct Reply {
  Outcome outcome = Outcome::transient;
  int status = 0;          ///< HTTP status (0: no response)
  int64_t message_id = 0;  ///< on success, the message_id of Telegram's "result" (0: none)
  std::string description; ///< Telegram's "description", or the transport's error
  Millis retry_after{0};   ///< for rate_limited
};

/// Sort an HTTP response of the Bot API into a Reply. `transport_error` is non-empty when no
/// HTTP response arrived. Never throws, whatever the body holds.
Reply classify(int status, std::string_view body, std::string_view transport_error = {});

/// Makes Bot API calls. `done` runs later on the event loop, never inside call().
class Transport {
public:
  virtual ~Transport() = default;
  virtual void call(const Call& call, std::function<void(Reply)> done) = 0;
};

/// A short name for logs: "editMessageText".
const char* outcome_name(Outcome outcome);

} // namespace m2g::progress
