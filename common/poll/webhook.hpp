#pragma once
// Webhook mode: Telegram POSTs each update to us (TLS is terminated by a reverse proxy in
// front). A request is answered 200 only once its update is durably handed off (committed to
// the queue, or written to the pipe); until then Telegram keeps it and retries. Requests that
// arrive in the same loop round are handed off in one transaction (a group commit), which is
// what lets thousands of concurrent connections through on one thread.

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
  /// The X-Telegram-Bot-Api-Secret-Token every request must carry (nullopt: not checked).
  std::optional<std::string> secret;
  size_t max_body_bytes = 1 << 20;
};

/// Parse "ADDR:PORT", "[v6]:PORT" or ":PORT" (all addresses). Fails with exit code 64.
Result<std::pair<std::string, int>> parse_listen_address(const std::string& text);

struct WebhookStats {
  uint64_t requests = 0;
  uint64_t written = 0;
  uint64_t duplicates = 0;
  uint64_t unauthorized = 0;
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
