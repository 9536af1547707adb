#include "common/fake/telegram/webhook_push.hpp"

#include <algorithm>

namespace m2g::fake::telegram {

WebhookPusher::WebhookPusher(event::Loop& loop, Bot& bot) : m_loop(loop), m_bot(bot), m_client(loop) {}

WebhookPusher::~WebhookPusher() {
  *m_alive = false;
  if (m_retry) {
    m_loop.cancel(m_retry);
  }
}

void WebhookPusher::kick() {
  const Webhook& hook = m_bot.webhook();
  if (hook.url.empty() || m_retry != 0) {
    return;
  }
  size_t room = static_cast<size_t>(std::max(1, hook.max_connections));
  for (const auto& update : m_bot.updates().all()) {
    if (m_in_flight.size() >= room) {
      break;
    }
    if (m_in_flight.count(update.id) || m_done.count(update.id)) {
      continue;
    }
    http::ClientRequest request;
    request.method = "POST";
    request.url = hook.url;
    request.headers = {"Content-Type: application/json"};
    if (!hook.secret_token.empty()) {
      request.headers.push_back("X-Telegram-Bot-Api-Secret-Token: " + hook.secret_token);
    }
    request.body = update.json;
    request.timeout = Millis(60'000);
    m_in_flight.insert(update.id);
    std::weak_ptr<bool> alive = m_alive;
    int64_t id = update.id;
    m_client.send(std::move(request), [this, alive, id](http::ClientResponse&& response) {
      if (auto lock = alive.lock(); lock && *lock) {
        delivered(id, response.status, response.error);
      }
    });
  }
}

void WebhookPusher::delivered(int64_t id, int status, const std::string& error) {
  m_in_flight.erase(id);
  Webhook& hook = m_bot.webhook();
  if (status >= 200 && status < 300) {
    m_done.insert(id);
    // Confirm the delivered prefix: the store forgets updates below an offset.
    auto& all = m_bot.updates().all();
    int64_t offset = 0;
    while (!all.empty() && !m_done.empty() && all.front().id == *m_done.begin()) {
      offset = all.front().id + 1;
      m_done.erase(m_done.begin());
      m_bot.updates().confirm(offset);
    }
    m_delay = Millis(0);
    kick();
    return;
  }
  hook.last_error_date = m_loop.clock().unix_ms() / 1000;
  hook.last_error =
      status == 0 ? "Connection failed: " + error : "Wrong response from the webhook: " + std::to_string(status);
  if (hook.url.empty() || m_retry != 0) {
    return;
  }
  m_delay = std::min(Millis(30'000), m_delay.count() == 0 ? Millis(500) : m_delay * 2);
  std::weak_ptr<bool> alive = m_alive;
  m_retry = m_loop.after(m_delay, [this, alive] {
    if (auto lock = alive.lock(); lock && *lock) {
      m_retry = 0;
      kick();
    }
  });
}

} // namespace m2g::fake::telegram
