#pragma once
// The fake Telegram Bot API over HTTP: /bot<token>/<method> (Bot API), /file/bot<token>/<path>
// (downloads), /control/... (the test side, control.cpp). getUpdates long polls are held as
// parked responders with a timer, not threads: an injected update completes the held poll at
// once. A second getUpdates terminates the held one with 409, as Telegram does with two
// pollers. Per-method latency, a 500 rate, a dropped-connection rate and scripted answers
// inject faults; a set webhook is delivered to by POSTs (webhook_push.cpp).

#include "common/event/loop.hpp"
#include "common/fake/telegram/bot.hpp"
#include "common/http/client.hpp"
#include "common/http/server.hpp"

#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <set>
#include <string>

namespace m2g::fake::telegram {

struct ServerConfig {
  std::string host = "127.0.0.1";
  int port = 0;
  /// The one token accepted ("" accepts any well-formed token).
  std::string token;
  /// Added latency per method (lowercase name; "*" for every method).
  std::map<std::string, Millis> latency;
  double fail_rate = 0; ///< share of Bot API calls answered 500
  double drop_rate = 0; ///< share of Bot API calls whose connection is dropped unanswered
  uint64_t seed = 1;
};

/// A scripted answer for the next call of one method (control API "script").
struct Scripted {
  int status = 200;
  std::string body; ///< raw body; "" → Telegram's error envelope for `status`
  bool drop = false;
};

class WebhookPusher;

class FakeServer {
public:
  FakeServer(event::Loop& loop, Bot& bot, ServerConfig config);
  ~FakeServer();

  Result<void> listen();
  int port() const;
  /// Stop accepting; held polls are answered with what is pending.
  void close();

  /// Wake a held getUpdates (and the webhook pusher) after updates were added.
  void updates_added();
  /// Queue scripted answers for `method`.
  void script(const std::string& method, std::vector<Scripted> answers);
  ServerConfig& config() { return m_config; }

private:
  void handle(http::Request&& request, http::Responder respond);
  void handle_bot_api(http::Request&& request, std::string_view method, http::Responder respond);
  void handle_file(std::string_view path, http::Responder respond);
  void handle_control(http::Request&& request, http::Responder respond);
  void get_updates(const Params& params, http::Responder respond);
  void answer_waiter(Reply reply);
  bool token_ok(std::string_view token, http::Responder& respond);
  http::Responder delayed(std::string_view method, http::Responder respond);

  struct Waiter {
    http::Responder respond;
    size_t limit = k_max_updates_per_poll;
    event::TimerId timer = 0;
  };

  event::Loop& m_loop;
  Bot& m_bot;
  ServerConfig m_config;
  std::unique_ptr<http::Server> m_server;
  std::unique_ptr<WebhookPusher> m_pusher;
  std::optional<Waiter> m_waiter;
  bool m_wake_scheduled = false;
  std::map<std::string, std::deque<Scripted>> m_scripts; // by lowercase method
  std::mt19937_64 m_rng;
  std::shared_ptr<bool> m_alive = std::make_shared<bool>(true);
};

/// Lowercase ASCII.
std::string lower(std::string_view text);
/// Decode standard base64 (padding optional); nullopt on a bad character.
std::optional<std::string> base64_decode(std::string_view text);

} // namespace m2g::fake::telegram
