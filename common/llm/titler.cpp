#include "common/llm/titler.hpp"

#include "common/core/log.hpp"
#include "common/llm/completion.hpp"

#include <algorithm>

namespace m2g::llm {

Titler::Titler(event::Loop& loop, http::Sender& client, TitlerOptions options)
    : m_loop(loop), m_client(client), m_options(std::move(options)), m_body(m_options.request),
      m_breaker(loop.clock(), m_options.breaker) {}

void Titler::title(std::string_view text, std::string fallback, std::function<void()> on_sent, Done done) {
  uint64_t id = m_next_id++;
  Call& call = m_calls[id];
  call.fallback = std::move(fallback);
  call.done = std::move(done);
  if (m_cut_short) {
    ++m_stats.short_circuited;
    // Always later, never inside title(): the caller's bookkeeping must see the call first.
    m_loop.defer([this, id] { finish(id, std::nullopt, "draining"); });
    return;
  }
  call.text = text;
  call.on_sent = std::move(on_sent);
  attempt(id);
}

void Titler::attempt(uint64_t id) {
  Call& call = m_calls.at(id);
  call.retry_timer = 0;
  if (m_in_flight >= m_options.max_inflight || !m_slot_queue.empty() || !ramp_allows()) {
    call.waiting_for_slot = true;
    m_slot_queue.push_back(id);
    return;
  }
  send(id);
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
  while (m_in_flight < m_options.max_inflight && !m_slot_queue.empty() && ramp_allows()) {
    uint64_t id = m_slot_queue.front();
    m_slot_queue.pop_front();
    auto it = m_calls.find(id);
    if (it != m_calls.end() && it->second.waiting_for_slot) {
      it->second.waiting_for_slot = false;
      send(id);
    }
  }
}

void Titler::send(uint64_t id) {
  Call& call = m_calls.at(id);
  // Asked here, at the moment of sending, so calls queued behind a failing burst are spared.
  if (!m_breaker.allow()) {
    ++m_stats.short_circuited;
    m_loop.defer([this, id] { finish(id, std::nullopt, "circuit open"); });
    return;
  }
  if (call.attempts == 0 && call.on_sent) {
    call.on_sent();
  }
  ++m_in_flight;
  ++m_sent_this_tick;
  ++call.attempts;
  ++m_stats.requests;
  http::ClientRequest request;
  request.method = "POST";
  request.url = m_options.url;
  request.headers = m_options.headers;
  request.headers.emplace_back("Content-Type: application/json");
  request.body = m_body(call.text);
  request.timeout = m_options.timeout;
  request.connect_timeout = std::min(m_options.timeout, Millis(10'000));
  m_client.send(std::move(request),
                [this, id](http::ClientResponse&& response) { on_response(id, std::move(response)); });
}

void Titler::on_response(uint64_t id, http::ClientResponse&& response) {
  --m_in_flight;
  // Finishing a call may start others from the caller's done(); pump after, in any case.
  struct PumpLater {
    Titler& titler;
    ~PumpLater() { titler.pump(); }
  } pump_later{*this};
  auto it = m_calls.find(id);
  if (it == m_calls.end()) {
    return;
  }
  Call& call = it->second;
  Exchange exchange{response.status, response.body, response.header("Retry-After"), response.error, response.curl_code};
  Attempt result = assess(exchange, m_loop.clock().unix_ms());
  if (result.usage) {
    Usage& sum = call.usage ? *call.usage : call.usage.emplace();
    sum.prompt_tokens += result.usage->prompt_tokens;
    sum.completion_tokens += result.usage->completion_tokens;
  }
  if (result.verdict == Verdict::ok) {
    m_breaker.record_success();
    finish(id, std::move(result.reply), "");
    return;
  }
  note_failure();
  log::debug("try " + std::to_string(call.attempts) + " failed: " + result.reason);
  call.last_reason = result.reason;
  if (result.verdict == Verdict::give_up) {
    finish(id, std::nullopt, result.reason);
    return;
  }
  retry_later(id, call, result.retry_after);
}

void Titler::retry_later(uint64_t id, Call& call, std::optional<Millis> retry_after) {
  if (m_cut_short || call.attempts > m_options.retries) {
    finish(id, std::nullopt, call.last_reason);
    return;
  }
  if (retry_after && *retry_after > k_max_retry_after) {
    finish(id, std::nullopt, call.last_reason + " (Retry-After too long)");
    return;
  }
  Millis delay = backoff_delay(m_options.backoff, call.retries++, m_rng);
  if (retry_after) {
    delay = std::max(delay, *retry_after);
  }
  ++m_stats.retries;
  call.retry_timer = m_loop.after(delay, [this, id] {
    m_calls.at(id).retry_timer = 0;
    attempt(id);
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

void Titler::finish(uint64_t id, std::optional<TitleReply> reply, std::string reason) {
  auto node = m_calls.extract(id);
  if (node.empty()) {
    return;
  }
  Call& call = node.mapped();
  if (call.retry_timer != 0) {
    m_loop.cancel(call.retry_timer);
  }
  // A call finished while waiting for a slot leaves a stale id in m_slot_queue; pump() skips it.
  TitleResult result;
  result.attempts = call.attempts;
  result.usage = call.usage;
  if (call.usage) {
    m_stats.prompt_tokens += call.usage->prompt_tokens;
    m_stats.completion_tokens += call.usage->completion_tokens;
  }
  if (reply) {
    result.title = std::move(reply->title);
    result.hashtags = std::move(reply->hashtags);
    result.from_model = true;
    ++m_stats.titled;
  } else {
    result.title = std::move(call.fallback);
    result.reason = std::move(reason);
    ++m_stats.fallbacks;
  }
  call.done(std::move(result));
}

void Titler::cut_short() {
  m_cut_short = true;
  std::vector<uint64_t> waiting;
  for (const auto& [id, call] : m_calls) {
    if (call.retry_timer != 0 || call.waiting_for_slot) {
      waiting.push_back(id);
    }
  }
  for (uint64_t id : waiting) {
    Call& call = m_calls.at(id);
    finish(id, std::nullopt, call.last_reason.empty() ? "draining" : "draining after: " + call.last_reason);
  }
}

} // namespace m2g::llm
