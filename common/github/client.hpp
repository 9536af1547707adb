#pragma once
// GitHub's REST API over common/http, for the commit stage: requests per token go through a
// gate that keeps to GitHub's limits instead of discovering them. Content-creating requests
// (POST, PATCH, PUT, DELETE) are paced by a token bucket (80 a minute by default, GitHub's
// secondary limit); a 403 or 429 that says "rate limit" blocks that token until Retry-After,
// or x-ratelimit-reset when x-ratelimit-remaining is 0, or else a minute growing
// exponentially; the refused request is then sent again, first in line. Few requests per token
// run at once (GitHub asks for serial requests), and a token whose primary budget is spent is
// held until its reset, before the next request instead of after a refusal.

#include "common/core/clock.hpp"
#include "common/event/loop.hpp"
#include "common/http/sender.hpp"
#include "common/rate/token_bucket.hpp"

#include <deque>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace m2g::github {

struct ClientOptions {
  std::string api_url = "https://api.github.com";
  double writes_per_minute = 80; ///< content-creating requests per token
  double writes_burst = 5;
  size_t max_inflight = 4;         ///< requests per token at once
  Millis max_wait{15 * 60 * 1000}; ///< longest a request waits out rate limits before it fails
  Millis timeout{30000};
};

/// A response (any status) or a transport failure (status 0, `error` set).
struct Reply {
  int status = 0;
  nlohmann::json body; ///< parsed when the body is JSON, else null
  std::string raw;     ///< the body as received
  std::string error;   ///< transport error, secrets redacted
  /// GitHub's "message" field, or the transport error.
  std::string message() const;
  bool ok() const { return status >= 200 && status < 300; }
};

class Client {
public:
  Client(event::Loop& loop, http::Sender& http, ClientOptions options = {});

  /// Makes a request body again, for a request that must be sent again.
  using BodySource = std::function<std::string()>;

  /// `method` `path` (from the API root, query included) with a JSON `body` ("" for none),
  /// authenticated with `token` when given. `done` runs on the loop with the final reply.
  /// Without `again`, the client keeps a copy of the body to send it again after a rate-limit
  /// answer; with it, the body is handed on as it is and `again` makes it when it is needed
  /// (a body that carries a megabyte notebook is then held once, not twice).
  void request(const std::string& method, const std::string& path, std::string body,
               const std::optional<std::string>& token, std::function<void(Reply)> done,
               std::string accept = "application/vnd.github+json", BodySource again = {});

  struct Stats {
    size_t requests = 0;     ///< sent, retries included
    size_t writes = 0;       ///< content-creating requests sent
    size_t rate_limited = 0; ///< 403/429 rate-limit answers received
  };
  const Stats& stats() const { return m_stats; }
  const ClientOptions& options() const { return m_options; }

private:
  struct Pending {
    std::string method, path, body, accept;
    std::optional<std::string> token;
    std::function<void(Reply)> done;
    TimePoint first_try;
    BodySource again; ///< set: `body` is given away when sent, and made again for a resend
    bool sent = false;
  };
  struct Gate {
    rate::TokenBucket writes;
    TimePoint blocked_until{};
    size_t inflight = 0;
    int strikes = 0; // rate-limit answers in a row without Retry-After
    std::deque<Pending> queue;
    event::TimerId timer = 0;
  };

  void pump(Gate& gate);
  void send(Gate& gate, Pending pending);
  void on_response(Gate& gate, Pending pending, http::ClientResponse&& response);
  void wake_at(Gate& gate, TimePoint when);

  event::Loop& m_loop;
  http::Sender& m_http;
  ClientOptions m_options;
  std::map<std::string, Gate> m_gates; // by token ("" for none)
  Stats m_stats;
};

/// True for the methods GitHub counts as content-creating.
bool is_write(std::string_view method);

/// How long a response tells a client to wait, or nullopt when it is not a rate-limit answer:
/// Retry-After, else x-ratelimit-reset when x-ratelimit-remaining is 0, else `fallback` for a
/// 403/429 whose message speaks of a rate limit. `unix_now_s` is the current Unix time.
std::optional<Millis> rate_limit_wait(const http::ClientResponse& response, int64_t unix_now_s, Millis fallback);

} // namespace m2g::github
