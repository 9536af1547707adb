#include "common/poll/webhook.hpp"

#include "common/core/exit_codes.hpp"
#include "common/core/log.hpp"
#include "common/jsonl/line.hpp"
#include "common/jsonl/scan.hpp"

#include <charconv>

namespace m2g::poll {
namespace {

// Compare without an early exit, so the answer time says nothing about the secret.
bool same_secret(std::string_view given, std::string_view expected) {
  unsigned char diff = given.size() == expected.size() ? 0 : 1;
  for (size_t i = 0; i < given.size(); ++i) {
    diff |= static_cast<unsigned char>(given[i] ^ expected[i % std::max<size_t>(1, expected.size())]);
  }
  return diff == 0;
}

http::Response telegram_error(int status, const char* description) {
  return http::Response::json(status, std::string("{\"ok\":false,\"error_code\":") + std::to_string(status) +
                                          ",\"description\":\"" + description + "\"}");
}

} // namespace

Result<std::pair<std::string, int>> parse_listen_address(const std::string& text) {
  auto colon = text.rfind(':');
  if (colon == std::string::npos) {
    return fail(exit_code::k_usage, "--webhook '" + text + "': expected ADDR:PORT (e.g. 127.0.0.1:8443)");
  }
  std::string host = text.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  if (host.empty()) {
    // Behind the TLS proxy Telegram needs, loopback is all it takes; every interface must be
    // asked for by name.
    host = "127.0.0.1";
  }
  int port = -1;
  auto digits = std::string_view(text).substr(colon + 1);
  auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), port);
  if (ec != std::errc() || ptr != digits.data() + digits.size() || port < 0 || port > 65535) {
    return fail(exit_code::k_usage, "--webhook '" + text + "': the port must be a number from 0 to 65535");
  }
  return std::make_pair(host, port);
}

Result<Item> read_webhook_update(std::string_view body, int64_t now_ms, const telegram::NormalizeOptions& normalize) {
  // nlohmann parses deep nesting fine but copies and dumps it recursively: 400,000 brackets
  // overflow the stack. The scanner counts without recursing, before any DOM exists.
  if (!jsonl::nesting_within(body)) {
    return fail(exit_code::k_dataerr, "JSON nested deeper than " + std::to_string(jsonl::k_max_dom_depth) + " levels");
  }
  auto update = telegram::json::parse(body, nullptr, false);
  if (update.is_discarded()) {
    return fail(exit_code::k_dataerr, "not JSON");
  }
  auto normalized = telegram::normalize_update(update, now_ms, normalize);
  if (!normalized.ok()) {
    return normalized.failure();
  }
  // Secrets quoted in a message (the bot token, the webhook secret) are scrubbed from the line.
  return Item{*telegram::update_id_of(update), log::redact(jsonl::dump(*normalized))};
}

WebhookReceiver::WebhookReceiver(event::Loop& loop, Sink& sink, jsonl::RejectSink& rejects, WebhookOptions options,
                                 telegram::NormalizeOptions normalize)
    : m_loop(loop), m_sink(sink), m_rejects(rejects), m_options(std::move(options)), m_normalize(normalize) {
  http::ServerOptions server_options;
  server_options.max_body_bytes = m_options.max_body_bytes;
  server_options.request_timeout = m_options.request_timeout;
  server_options.max_connections = m_options.max_connections;
  server_options.max_connections_per_peer = m_options.max_connections_per_peer;
  server_options.check_head = [this](const http::Request& head) { return check_head(head); };
  m_server = std::make_unique<http::Server>(
      loop,
      [this](http::Request&& request, http::Responder respond) { handle(std::move(request), std::move(respond)); },
      server_options);
}

WebhookReceiver::~WebhookReceiver() {
  *m_alive = false;
}

Result<void> WebhookReceiver::listen() {
  auto listening = m_server->listen(m_options.host, m_options.port);
  if (!listening.ok()) {
    return fail(exit_code::k_unavailable,
                "cannot listen on " + m_options.host + ":" + std::to_string(m_options.port) + ": " + listening.error());
  }
  if (auto pruned = m_sink.prune(); !pruned.ok()) {
    log::warn("cannot prune old update ids: " + pruned.error());
  }
  return {};
}

int WebhookReceiver::port() const {
  return m_server->port();
}

bool WebhookReceiver::authorized(const http::Request& head) const {
  return !m_options.secret || same_secret(head.header("X-Telegram-Bot-Api-Secret-Token"), *m_options.secret);
}

std::optional<http::Response> WebhookReceiver::check_head(const http::Request& head) {
  if (m_stopping || head.method != "POST" || authorized(head)) {
    return std::nullopt; // handle() answers these, or takes the update
  }
  ++m_stats.requests;
  // Not from Telegram (or the secret changed): refuse before the body is read, and say so
  // without flooding the log.
  if (m_stats.unauthorized++ % 1000 == 0) {
    log::warn("webhook request from " + head.peer +
              " without the right X-Telegram-Bot-Api-Secret-Token: answered 401 (" +
              std::to_string(m_stats.unauthorized) + " so far)");
  }
  return telegram_error(401, "Unauthorized");
}

void WebhookReceiver::handle(http::Request&& request, http::Responder respond) {
  ++m_stats.requests;
  if (m_stopping) {
    respond(telegram_error(503, "Service Unavailable: shutting down"));
    return;
  }
  if (request.method != "POST") {
    auto response = telegram_error(405, "Method Not Allowed: Telegram delivers updates with POST");
    response.headers.push_back({"Allow", "POST"});
    respond(std::move(response));
    return;
  }
  if (!authorized(request)) {
    // check_head() refused it already; this is a second lock on the same door.
    ++m_stats.unauthorized;
    respond(telegram_error(401, "Unauthorized"));
    return;
  }
  auto item = read_webhook_update(request.body, m_loop.clock().unix_ms(), m_normalize);
  if (!item.ok()) {
    ++m_stats.malformed;
    m_rejects.reject("webhook request from " + request.peer, item.error(), request.body);
    respond(telegram_error(400, "Bad Request: not a Telegram Update"));
    return;
  }
  m_pending.push_back(Pending{std::move(*item), std::move(respond)});
  if (!m_commit_scheduled) {
    m_commit_scheduled = true;
    std::weak_ptr<bool> alive = m_alive;
    m_loop.defer([this, alive] {
      if (auto lock = alive.lock(); lock && *lock) {
        m_commit_scheduled = false;
        commit();
      }
    });
  }
}

void WebhookReceiver::commit() {
  if (m_pending.empty()) {
    return;
  }
  std::vector<Pending> batch;
  batch.swap(m_pending);
  std::vector<Item> items;
  items.reserve(batch.size());
  for (auto& pending : batch) {
    items.push_back(std::move(pending.item));
  }
  auto written = m_sink.handoff(items, std::nullopt);
  if (!written.ok()) {
    // Not handed off: a 500 makes Telegram deliver these updates again later.
    m_stats.failed += batch.size();
    log::error("handoff to " + m_sink.describe() + " failed, answered 500 to " + std::to_string(batch.size()) +
               " requests: " + written.error());
    for (auto& pending : batch) {
      pending.respond(telegram_error(500, "Internal Server Error: handoff failed"));
    }
    if (written.failure().exit_code == exit_code::k_ioerr && !m_stopping) {
      m_fatal = true;
      stop(
          exit_code::k_ioerr, m_finished ? m_finished : [this](int) { m_loop.stop(); });
    }
    return;
  }
  m_stats.written += *written;
  m_stats.duplicates += batch.size() - *written;
  for (auto& pending : batch) {
    pending.respond(http::Response::json(200, "{}"));
  }
}

void WebhookReceiver::stop(int exit_code, std::function<void(int)> finished) {
  if (m_stopping) {
    return;
  }
  m_stopping = true;
  m_exit_code = m_fatal ? exit_code::k_ioerr : exit_code;
  m_finished = std::move(finished);
  commit(); // what arrived before the signal is handed off and answered
  m_server->close();
  m_stop_deadline = m_loop.now() + Millis(5000);
  check_drained();
}

void WebhookReceiver::check_drained() {
  if (m_server->connections() == 0 || m_loop.now() >= m_stop_deadline) {
    if (m_finished) {
      auto finished = std::move(m_finished);
      finished(m_exit_code);
    }
    return;
  }
  std::weak_ptr<bool> alive = m_alive;
  m_loop.after(Millis(10), [this, alive] {
    if (auto lock = alive.lock(); lock && *lock) {
      check_drained();
    }
  });
}

} // namespace m2g::poll
