#include "common/github/client.hpp"

#include "common/core/ascii.hpp"
#include "common/core/log.hpp"

#include <algorithm>
#include <cctype>

namespace m2g::github {
namespace {

constexpr Millis k_first_blind_wait{60'000}; // GitHub: "wait at least one minute"
constexpr Millis k_longest_blind_wait{15 * 60'000};

int64_t parse_int(std::string_view text, int64_t fallback) {
  if (text.empty()) {
    return fallback;
  }
  int64_t value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') {
      return fallback;
    }
    value = value * 10 + (c - '0');
  }
  return value;
}

} // namespace

bool is_write(std::string_view method) {
  return method == "POST" || method == "PATCH" || method == "PUT" || method == "DELETE";
}

std::string Reply::message() const {
  if (status == 0) {
    return error.empty() ? "no response" : error;
  }
  if (body.is_object() && body.contains("message") && body["message"].is_string()) {
    return "HTTP " + std::to_string(status) + ": " + body["message"].get<std::string>();
  }
  return "HTTP " + std::to_string(status);
}

std::optional<Millis> rate_limit_wait(const http::ClientResponse& response, int64_t unix_now_s, Millis fallback) {
  if (response.status != 403 && response.status != 429) {
    return std::nullopt;
  }
  int64_t retry_after = parse_int(response.header("retry-after"), -1);
  if (retry_after >= 0) {
    return Millis(retry_after * 1000);
  }
  if (response.header("x-ratelimit-remaining") == "0") {
    int64_t reset = parse_int(response.header("x-ratelimit-reset"), unix_now_s + 60);
    return Millis(std::max<int64_t>(1, reset - unix_now_s) * 1000);
  }
  if (response.status == 429 || ascii_lower(response.body).find("rate limit") != std::string::npos) {
    return fallback;
  }
  return std::nullopt; // a plain 403: permissions, not pace
}

Client::Client(event::Loop& loop, http::Sender& http, ClientOptions options)
    : m_loop(loop), m_http(http), m_options(std::move(options)) {
  while (!m_options.api_url.empty() && m_options.api_url.back() == '/') {
    m_options.api_url.pop_back();
  }
  m_options.max_inflight = std::max<size_t>(1, m_options.max_inflight);
}

void Client::request(const std::string& method, const std::string& path, std::string body,
                     const std::optional<std::string>& token, std::function<void(Reply)> done, std::string accept,
                     BodySource again) {
  std::string key = token.value_or("");
  auto it = m_gates.find(key);
  if (it == m_gates.end()) {
    Gate gate;
    gate.writes =
        rate::TokenBucket(m_options.writes_per_minute / 60.0, std::max(1.0, m_options.writes_burst), m_loop.now());
    it = m_gates.emplace(key, std::move(gate)).first;
  }
  it->second.queue.push_back(Pending{method, path, std::move(body), std::move(accept), token, std::move(done),
                                     m_loop.now(), std::move(again)});
  pump(it->second);
}

void Client::wake_at(Gate& gate, TimePoint when) {
  if (gate.timer) {
    return;
  }
  gate.timer = m_loop.at(when, [this, &gate] {
    gate.timer = 0;
    pump(gate);
  });
}

void Client::pump(Gate& gate) {
  while (!gate.queue.empty() && gate.inflight < m_options.max_inflight) {
    TimePoint now = m_loop.now();
    if (now < gate.blocked_until) {
      wake_at(gate, gate.blocked_until);
      return;
    }
    if (is_write(gate.queue.front().method)) {
      std::chrono::nanoseconds wait{};
      if (!gate.writes.try_take(now, &wait)) {
        wake_at(gate, now + wait);
        return;
      }
    }
    Pending pending = std::move(gate.queue.front());
    gate.queue.pop_front();
    send(gate, std::move(pending));
  }
}

void Client::send(Gate& gate, Pending pending) {
  http::ClientRequest request;
  request.method = pending.method;
  request.url = m_options.api_url + pending.path;
  request.timeout = m_options.timeout;
  if (pending.again) {
    // Given away; a resend (after a rate-limit answer) makes it again, when it goes out.
    request.body = pending.sent ? pending.again() : std::move(pending.body);
    pending.sent = true;
  } else {
    request.body = pending.body;
  }
  request.headers = {"Accept: " + pending.accept, "X-GitHub-Api-Version: 2022-11-28", "User-Agent: m2g-commit"};
  if (pending.token && !pending.token->empty()) {
    request.headers.push_back("Authorization: Bearer " + *pending.token);
  }
  if (!request.body.empty()) {
    request.headers.push_back("Content-Type: application/json");
  }
  ++gate.inflight;
  ++m_stats.requests;
  m_stats.writes += is_write(pending.method) ? 1 : 0;
  auto box = std::make_shared<Pending>(std::move(pending));
  m_http.send(std::move(request), [this, &gate, box](http::ClientResponse&& response) {
    --gate.inflight;
    on_response(gate, std::move(*box), std::move(response));
    pump(gate);
  });
}

void Client::on_response(Gate& gate, Pending pending, http::ClientResponse&& response) {
  TimePoint now = m_loop.now();
  int64_t unix_now = m_loop.clock().unix_ms() / 1000;
  // The primary budget: once it is spent, hold every request until it resets.
  if (response.header("x-ratelimit-remaining") == "0" && response.status != 0) {
    int64_t reset = parse_int(response.header("x-ratelimit-reset"), unix_now + 60);
    gate.blocked_until =
        std::max(gate.blocked_until, now + std::chrono::seconds(std::max<int64_t>(1, reset - unix_now)));
  }
  Millis blind = std::min(k_longest_blind_wait, Millis(k_first_blind_wait.count() << std::min(gate.strikes, 4)));
  auto wait = rate_limit_wait(response, unix_now, blind);
  if (wait) {
    ++m_stats.rate_limited;
    bool told = !response.header("retry-after").empty() || response.header("x-ratelimit-remaining") == "0";
    gate.strikes = told ? 0 : gate.strikes + 1;
    gate.blocked_until = std::max(gate.blocked_until, now + *wait);
    if (now + *wait - pending.first_try <= m_options.max_wait) {
      log::info("GitHub rate limit: waiting " + std::to_string(wait->count() / 1000) + " s before " + pending.method +
                " " + pending.path);
      gate.queue.push_front(std::move(pending)); // first in line once the gate opens
      return;
    }
  } else if (response.status != 0) {
    gate.strikes = 0;
  }
  Reply reply;
  reply.status = response.status;
  reply.raw = std::move(response.body);
  reply.error = response.error;
  if (!reply.raw.empty() && (reply.raw.front() == '{' || reply.raw.front() == '[')) {
    reply.body = nlohmann::json::parse(reply.raw, nullptr, false);
    if (reply.body.is_discarded()) {
      reply.body = nullptr;
    }
  }
  pending.done(std::move(reply));
}

} // namespace m2g::github
