#pragma once
// Asking the model for one title, with everything that can go wrong on the way: the request
// goes out on the stage's one HTTP client (curl multi, or PlainClient for http://) (no thread per request), each try
// has a time limit, failures that may heal are tried again after an exponential backoff with jitter (or the server's
// longer Retry-After), the circuit breaker keeps a failing endpoint from being hammered, and whatever happens the
// caller gets exactly one TitleResult: the model's title or the fallback.

#include "common/core/backoff.hpp"
#include "common/event/loop.hpp"
#include "common/http/sender.hpp"
#include "common/llm/breaker.hpp"
#include "common/llm/job.hpp"
#include "common/llm/prompt.hpp"

#include <cstdint>
#include <deque>
#include <functional>
#include <random>
#include <string>
#include <unordered_map>
#include <vector>

namespace m2g::llm {

/// A Retry-After longer than this is not waited for: the job falls back instead.
inline constexpr Millis k_max_retry_after{60'000};
/// At most this many requests start per ramp tick, so 10,000 jobs read at once do not become
/// 10,000 connects in one burst (a SYN queue holds 2,048 by default; a dropped SYN costs 1 s
/// of retransmission). Costs nothing at normal rates: 500 per 10 ms is 50,000 requests/s.
inline constexpr size_t k_sends_per_tick = 500;
inline constexpr Millis k_ramp_tick{10};

struct TitlerOptions {
  std::string url;                  ///< {base}/chat/completions
  std::vector<std::string> headers; ///< "Authorization: Bearer ..." when there is a key
  RequestSettings request;
  Millis timeout{30'000};     ///< one try, connecting included
  int retries = 3;            ///< tries after the first
  size_t max_inflight = 1000; ///< requests on the wire at once; more wait here, where a drain can cut them
  BackoffPolicy backoff{Millis(500), Millis(30'000), 0};
  BreakerOptions breaker;
};

/// Counts over a run, for the summary line.
struct TitlerStats {
  uint64_t titled = 0, fallbacks = 0, requests = 0, retries = 0, short_circuited = 0;
  int64_t prompt_tokens = 0, completion_tokens = 0;
};

class Titler {
public:
  using Done = std::function<void(TitleResult&&)>;

  /// `loop` and `client` must outlive the Titler.
  Titler(event::Loop& loop, http::Sender& client, TitlerOptions options);

  /// Title `text` (fallback title `fallback`); `done` runs exactly once, later, on the loop.
  /// `on_sent` runs once when the first request goes out (not when the circuit is open).
  void title(std::string_view text, std::string fallback, std::function<void()> on_sent, Done done);
  /// Draining: no more retries; calls waiting for one fall back now, new calls at once.
  void cut_short();
  /// Calls not finished yet.
  size_t active() const { return m_calls.size(); }
  /// Requests on the wire now.
  size_t in_flight() const { return m_in_flight; }
  const TitlerStats& stats() const { return m_stats; }
  const CircuitBreaker& breaker() const { return m_breaker; }

private:
  // One per job in flight: 10,000 of them at once, so it stays small (a Backoff of its own
  // would carry a 2.5 KB generator; the Titler's one generator serves every call's jitter).
  struct Call {
    std::string text; ///< the body is built again for each try: the prompt is not kept per call
    std::string fallback;
    Done done;
    std::function<void()> on_sent;
    int attempts = 0;
    int retries = 0; ///< backoffs waited so far: the next one doubles
    std::optional<Usage> usage;
    event::TimerId retry_timer = 0;
    bool waiting_for_slot = false;
    std::string last_reason;
  };

  void attempt(uint64_t id);
  void send(uint64_t id);
  void pump();
  /// Whether another request may start in this ramp tick (else a tick is scheduled).
  bool ramp_allows();
  void on_response(uint64_t id, http::ClientResponse&& response);
  void retry_later(uint64_t id, Call& call, std::optional<Millis> retry_after);
  void finish(uint64_t id, std::optional<TitleReply> reply, std::string reason);
  void note_failure();

  event::Loop& m_loop;
  http::Sender& m_client;
  TitlerOptions m_options;
  RequestBody m_body;
  CircuitBreaker m_breaker;
  std::unordered_map<uint64_t, Call> m_calls;
  std::deque<uint64_t> m_slot_queue; ///< calls waiting for a free request slot, oldest first
  size_t m_in_flight = 0;
  size_t m_sent_this_tick = 0;
  bool m_tick_scheduled = false;
  uint64_t m_next_id = 1;
  std::mt19937_64 m_rng{std::random_device{}()}; ///< every call's backoff jitter
  bool m_cut_short = false;
  TitlerStats m_stats;
};

} // namespace m2g::llm
