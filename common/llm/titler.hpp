#pragma once
// Asking the model for one title, with everything that can go wrong on the way: the request
// goes out on the stage's one HTTP client (curl multi, or PlainClient for http://), no thread per
// request; each try has a time limit, failures that may heal are tried again after an exponential
// backoff with jitter (or the server's longer Retry-After), the circuit breaker keeps a failing
// endpoint from being hammered, and whatever happens the job is told exactly once of its title:
// the model's or the fallback.

#include "common/core/backoff.hpp"
#include "common/event/loop.hpp"
#include "common/http/sender.hpp"
#include "common/llm/breaker.hpp"
#include "common/llm/job.hpp"
#include "common/llm/prompt.hpp"

#include <cstdint>
#include <deque>
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
  /// A job to title, as the Titler sees it: the caller's own record, which also carries the
  /// Titler's state of its call. 10,000 jobs are in flight at once, so a job costs its caller
  /// one record, not a record, a map node, two callbacks and copies of its text besides.
  /// It must stay where it is from title() until title_done(), which is the Titler's last use.
  class Job {
  public:
    /// The text to title, asked for at each try (the caller need not keep a copy of it).
    virtual std::string title_text() = 0;
    /// The title when the model gives none.
    virtual std::string fallback_title() = 0;
    /// The first request goes out (not called when the circuit is open); title_text() is
    /// asked for right after.
    virtual void title_sent() = 0;
    /// The title is decided: called exactly once, later, on the loop.
    virtual void title_done(TitleResult&& result) = 0;

  protected:
    Job() = default;
    virtual ~Job() = default;
    Job(const Job&) = delete;
    Job& operator=(const Job&) = delete;

  private:
    friend class Titler;
    enum class State : uint8_t { in_flight, waiting_for_slot, waiting_for_retry, finishing };
    Usage m_usage;
    uint16_t m_attempts = 0;
    uint16_t m_retries = 0; ///< backoffs waited so far: the next one doubles
    State m_state = State::in_flight;
    bool m_has_usage = false;
    bool m_failed = false; ///< has an entry in Titler::m_failures
  };

  /// `loop` and `client` must outlive the Titler.
  Titler(event::Loop& loop, http::Sender& client, TitlerOptions options);

  /// Title `job`; its title_done() runs exactly once, later, on the loop.
  void title(Job& job);
  /// Draining: no more retries; calls waiting for one fall back now, new calls at once.
  void cut_short();
  /// Calls not finished yet.
  size_t active() const { return m_active; }
  /// Requests on the wire now.
  size_t in_flight() const { return m_in_flight; }
  const TitlerStats& stats() const { return m_stats; }
  const CircuitBreaker& breaker() const { return m_breaker; }

private:
  void attempt(Job& job);
  void send(Job& job);
  void pump();
  /// Whether another request may start in this ramp tick (else a tick is scheduled).
  bool ramp_allows();
  void on_response(Job& job, http::ClientResponse&& response);
  struct Failure;
  void retry_later(Job& job, Failure& failure, std::optional<Millis> retry_after);
  /// Tell the job on the next loop round, never inside title(): the caller sees the call first.
  void finish_later(Job& job, std::string reason);
  /// Draining: the reason a waiting job falls back now.
  std::string draining_reason(Job& job) const;
  void finish(Job& job, std::optional<TitleReply> reply, std::string reason);
  void note_failure();

  event::Loop& m_loop;
  http::Sender& m_client;
  TitlerOptions m_options;
  RequestBody m_body;
  CircuitBreaker m_breaker;
  /// What a job that failed a try carries until it is finished: rare, so kept here, not in
  /// every job.
  struct Failure {
    std::string reason;             ///< of the last failed try
    event::TimerId retry_timer = 0; ///< while it waits to try again
  };
  std::unordered_map<Job*, Failure> m_failures;
  std::deque<Job*> m_slot_queue; ///< jobs waiting for a free request slot, oldest first
  size_t m_active = 0;
  size_t m_in_flight = 0;
  size_t m_sent_this_tick = 0;
  bool m_tick_scheduled = false;
  std::mt19937_64 m_rng{std::random_device{}()}; ///< every call's backoff jitter
  bool m_cut_short = false;
  TitlerStats m_stats;
};

} // namespace m2g::llm
