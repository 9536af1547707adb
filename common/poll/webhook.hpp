#pragma once
// Webhook mode: Telegram POSTs each update to us (TLS is terminated by a reverse proxy in
// front). A request is answered 200 only once its update is durably handed off (committed to
// the queue, or written to the pipe); until then Telegram keeps it and retries. Requests that
// arrive in the same loop round are handed off in one transaction (a group commit), which is
// what lets thousands of concurrent connections through on one thread.
//
// Anyone who reaches the port is a stranger until the secret header says otherwise, so the
// secret is checked as soon as a request's head is parsed, before its body is read; only an
// authenticated update may reach the sink and its seen-id set. Each request must arrive whole
// within a deadline, connections are capped overall and per peer address, and a body is
// checked for absurd nesting with the raw scanner before any JSON DOM is built from it.

#include "common/event/loop.hpp"
#include "common/http/server.hpp"
#include "common/jsonl/reject.hpp"
#include "common/poll/sink.hpp"
#include "common/telegram/normalize.hpp"

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace m2g::poll {

struct WebhookOptions {
  std::string host = "127.0.0.1";
  int port = 8443;
  /// The X-Telegram-Bot-Api-Secret-Token every request must carry (nullopt: not checked, which
  /// run.cpp allows only when the operator says so explicitly).
  std::optional<std::string> secret;
  size_t max_body_bytes = 1 << 20;
  /// Head and body of one request must arrive within this (Telegram sends at once).
  Millis request_timeout{10000};
  /// Open connections at most (beyond: new ones wait in the backlog), and per peer address
  /// (beyond: closed at once). Telegram opens at most 100 (setWebhook's max_connections); behind
  /// a reverse proxy they all come from its address.
  size_t max_connections = 1024;
  size_t max_connections_per_peer = 256;
};

/// Parse "ADDR:PORT", "[v6]:PORT" or ":PORT" (loopback, 127.0.0.1: listening on every address
/// takes an explicit 0.0.0.0:PORT or [::]:PORT). Fails with exit code 64.
Result<std::pair<std::string, int>> parse_listen_address(const std::string& text);

/// One webhook body as the update line to hand off: JSON nested at most
/// jsonl::k_max_dom_depth deep (checked before parsing), an Update with an integer update_id.
/// Fails with exit code 65 and a reason for --reject.
Result<Item> read_webhook_update(std::string_view body, int64_t now_ms, const telegram::NormalizeOptions& normalize);

struct WebhookStats {
  uint64_t requests = 0;
  uint64_t written = 0;
  uint64_t duplicates = 0;
  uint64_t unauthorized = 0; ///< answered 401 on the head, body unread
  uint64_t malformed = 0;
  uint64_t failed = 0; ///< answered 500 because the handoff failed
};

class WebhookReceiver {
public:
  WebhookReceiver(event::Loop& loop, Sink& sink, jsonl::RejectSink& rejects, WebhookOptions options,
                  telegram::NormalizeOptions normalize = {});
  ~WebhookReceiver();

  /// Start listening; fails (exit code 69) when the address cannot be bound.
  Result<void> listen();
  /// The port listened on (useful with port 0).
  int port() const;
  /// Stop accepting, hand off what is pending, let answers go out, then run `finished`.
  /// `exit_code` is passed on (0 after SIGTERM, 130 after SIGINT).
  void stop(int exit_code, std::function<void(int)> finished);
  const WebhookStats& stats() const { return m_stats; }

private:
  struct Pending {
    Item item;
    http::Responder respond;
  };
  std::optional<http::Response> check_head(const http::Request& head);
  bool authorized(const http::Request& head) const;
  void handle(http::Request&& request, http::Responder respond);
  void commit();
  void check_drained();

  event::Loop& m_loop;
  Sink& m_sink;
  jsonl::RejectSink& m_rejects;
  WebhookOptions m_options;
  telegram::NormalizeOptions m_normalize;
  std::unique_ptr<http::Server> m_server;
  std::vector<Pending> m_pending;
  bool m_commit_scheduled = false;
  bool m_stopping = false;
  bool m_fatal = false;
  int m_exit_code = 0;
  std::function<void(int)> m_finished;
  TimePoint m_stop_deadline{};
  WebhookStats m_stats;
  std::shared_ptr<bool> m_alive = std::make_shared<bool>(true);
};

} // namespace m2g::poll
