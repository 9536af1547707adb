#pragma once
// The fake's webhook delivery: while a webhook is set, pending updates are POSTed to its URL
// (at most max_connections at once, with X-Telegram-Bot-Api-Secret-Token when a secret was
// set), and an update is forgotten only after a 2xx answer. Failures are recorded for
// getWebhookInfo and retried with a growing delay, as Telegram does.

#include "common/event/loop.hpp"
#include "common/fake/telegram/bot.hpp"
#include "common/http/client.hpp"

#include <cstdint>
#include <memory>
#include <set>

namespace m2g::fake::telegram {

class WebhookPusher {
public:
  WebhookPusher(event::Loop& loop, Bot& bot);
  ~WebhookPusher();
  /// Deliver what is pending, if a webhook is set.
  void kick();

private:
  void delivered(int64_t id, int status, const std::string& error);

  event::Loop& m_loop;
  Bot& m_bot;
  http::Client m_client;
  std::set<int64_t> m_in_flight;
  std::set<int64_t> m_done; // delivered, waiting for earlier ones before being confirmed
  Millis m_delay{0};
  event::TimerId m_retry = 0;
  std::shared_ptr<bool> m_alive = std::make_shared<bool>(true);
};

} // namespace m2g::fake::telegram
