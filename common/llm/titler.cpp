#include "common/llm/titler.hpp"

#include "common/core/log.hpp"
#include "common/llm/completion.hpp"

#include <algorithm>

namespace m2g::llm {

Titler::Titler(event::Loop& loop, http::Sender& client, TitlerOptions options)
    : m_loop(loop), m_client(client), m_options(std::move(options)), m_body(m_options.request),
      m_breaker(loop.clock(), m_options.breaker) {
  m_options.headers.emplace_back("Content-Type: application/json");
}

void Titler::title(Job& job) {
  ++m_active;
  job.m_usage = Usage{};
  job.m_has_usage = false;
  job.m_failed = false;
  job.m_attempts = 0;
  job.m_retries = 0;
  if (m_cut_short) {
    ++m_stats.short_circuited;
    finish_later(job, "draining");
    return;
  }
  attempt(job);
}

void Titler::attempt(Job& job) {
  if (m_in_flight >= m_options.max_inflight || !m_slot_queue.empty() || !ramp_allows()) {
    job.m_state = Job::State::waiting_for_slot;
    m_slot_queue.push_back(&job);
    return;
  }
  send(job);
}

bool Titler::ramp_allows() {
  if (m_sent_this_tick < k_sends_per_tick) {
    return true;
  }
  if (!m_tick_scheduled) {
    m_tick_scheduled = true;
    m_loop.after(k_ramp_tick, [this] {
      m_tick_scheduled = false;
      m_sent_this_tick = 0;
      pump();
    });
  }
  return false;
}

void Titler::pump() {
  // Only cut_short() finishes a job that waits for a slot, and it empties the queue: every job
  // in it is still waiting.
  while (m_in_flight < m_options.max_inflight && !m_slot_queue.empty() && ramp_allows()) {
    Job& job = *m_slot_queue.front();
    m_slot_queue.pop_front();
    send(job);
  }
}

void Titler::send(Job& job) {
  // Asked here, at the moment of sending, so calls queued behind a failing burst are spared.
  if (!m_breaker.allow()) {
    ++m_stats.short_circuited;
    finish_later(job, "circuit open");
    return;
  }
  if (job.m_attempts == 0) {
    job.title_sent();
  }
  job.m_state = Job::State::in_flight;
  ++m_in_flight;
  ++m_sent_this_tick;
  ++job.m_attempts;
  ++m_stats.requests;
  http::ClientRequest request;
  request.method = "POST";
  request.url = m_options.url;
  request.headers = m_options.headers;
  request.body = m_body(job.title_text());
  request.timeout = m_options.timeout;
  request.connect_timeout = std::min(m_options.timeout, Millis(10'000));
  // The job stays put until title_done(), which comes only after this answer.
  m_client.send(std::move(request),
                [this, &job](http::ClientResponse&& response) { on_response(job, std::move(response)); });
}

void Titler::on_response(Job& job, http::ClientResponse&& response) {
  --m_in_flight;
  // Finishing a call may start others from the caller's title_done(); pump after, in any case.
  struct PumpLater {
    Titler& titler;
    ~PumpLater() { titler.pump(); }
  } pump_later{*this};
  Exchange exchange{response.status, response.body, response.header("Retry-After"), response.error, response.curl_code};
  Attempt result = assess(exchange, m_loop.clock().unix_ms());
  if (result.usage) {
    job.m_usage.prompt_tokens += result.usage->prompt_tokens;
    job.m_usage.completion_tokens += result.usage->completion_tokens;
    job.m_has_usage = true;
  }
  if (result.verdict == Verdict::ok) {
    m_breaker.record_success();
    finish(job, std::move(result.reply), "");
    return;
  }
  note_failure();
  log::debug("try " + std::to_string(job.m_attempts) + " failed: " + result.reason);
  if (result.verdict == Verdict::give_up) {
    finish(job, std::nullopt, result.reason);
    return;
  }
  if (m_cut_short || job.m_attempts > m_options.retries) {
    finish(job, std::nullopt, result.reason);
    return;
  }
  if (result.retry_after && *result.retry_after > k_max_retry_after) {
    finish(job, std::nullopt, result.reason + " (Retry-After too long)");
    return;
  }
  job.m_failed = true;
  Failure& failure = m_failures[&job];
  failure.reason = std::move(result.reason);
  retry_later(job, failure, result.retry_after);
}

void Titler::retry_later(Job& job, Failure& failure, std::optional<Millis> retry_after) {
  Millis delay = backoff_delay(m_options.backoff, job.m_retries++, m_rng);
  if (retry_after) {
    delay = std::max(delay, *retry_after);
  }
  ++m_stats.retries;
  job.m_state = Job::State::waiting_for_retry;
  failure.retry_timer = m_loop.after(delay, [this, &job] {
    m_failures.at(&job).retry_timer = 0;
    attempt(job);
  });
}

void Titler::note_failure() {
  uint64_t openings = m_breaker.openings();
  m_breaker.record_failure();
  if (m_breaker.openings() != openings) {
    log::warn("circuit open after " + std::to_string(m_breaker.consecutive_failures()) +
              " failed requests in a row: jobs get fallback titles for " +
              std::to_string(m_options.breaker.cooldown.count() / 1000) + "s, then one request probes the endpoint");
  }
}

void Titler::finish_later(Job& job, std::string reason) {
  job.m_state = Job::State::finishing;
  m_loop.defer([this, &job, reason = std::move(reason)]() mutable { finish(job, std::nullopt, std::move(reason)); });
}

void Titler::finish(Job& job, std::optional<TitleReply> reply, std::string reason) {
  if (job.m_failed) {
    auto failure = m_failures.find(&job);
    if (failure->second.retry_timer != 0) {
      m_loop.cancel(failure->second.retry_timer);
    }
    m_failures.erase(failure);
    job.m_failed = false;
  }
  --m_active;
  TitleResult result;
  result.attempts = job.m_attempts;
  if (job.m_has_usage) {
    result.usage = job.m_usage;
    m_stats.prompt_tokens += job.m_usage.prompt_tokens;
    m_stats.completion_tokens += job.m_usage.completion_tokens;
  }
  if (reply) {
    result.title = std::move(reply->title);
    result.hashtags = std::move(reply->hashtags);
    result.from_model = true;
    ++m_stats.titled;
  } else {
    result.title = job.fallback_title();
    result.reason = std::move(reason);
    ++m_stats.fallbacks;
  }
  job.title_done(std::move(result)); // the job may be gone after this
}

std::string Titler::draining_reason(Job& job) const {
  return job.m_failed ? "draining after: " + m_failures.at(&job).reason : "draining";
}

void Titler::cut_short() {
  m_cut_short = true;
  // Jobs waiting for a slot or a retry fall back now; those on the wire get their answer first.
  std::vector<Job*> waiting(m_slot_queue.begin(), m_slot_queue.end());
  m_slot_queue.clear();
  for (const auto& [job, failure] : m_failures) {
    if (job->m_state == Job::State::waiting_for_retry) {
      waiting.push_back(job);
    }
  }
  // Finishing one job cannot end another of these: each is only finished here.
  for (Job* job : waiting) {
    finish(*job, std::nullopt, draining_reason(*job));
  }
}

} // namespace m2g::llm
