#include "common/fake/telegram/server.hpp"

#include "common/core/exit_codes.hpp"
#include "common/core/log.hpp"
#include "common/fake/telegram/webhook_push.hpp"

namespace m2g::fake::telegram {
namespace {

constexpr const char* k_terminated =
    "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running";
constexpr const char* k_webhook_active =
    "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first";

http::Response to_response(const Reply& reply) {
  return http::Response::json(reply.status, reply.body);
}

std::string default_description(int status) {
  switch (status) {
  case 400:
    return "Bad Request";
  case 401:
    return "Unauthorized";
  case 403:
    return "Forbidden";
  case 404:
    return "Not Found";
  case 409:
    return k_terminated;
  case 429:
    return "Too Many Requests: retry after 1";
  case 502:
    return "Bad Gateway";
  default:
    return status >= 500 ? "Internal Server Error" : "Error";
  }
}

// A token as Telegram issues them: digits, ':', then 30-odd URL-safe characters.
bool well_formed_token(std::string_view token) {
  auto colon = token.find(':');
  if (colon == std::string_view::npos || colon == 0 || colon + 1 >= token.size()) {
    return false;
  }
  for (size_t i = 0; i < colon; ++i) {
    if (token[i] < '0' || token[i] > '9') {
      return false;
    }
  }
  return true;
}

} // namespace

std::string lower(std::string_view text) {
  std::string out(text);
  for (auto& c : out) {
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

std::optional<std::string> base64_decode(std::string_view text) {
  auto value = [](char c) -> int {
    if (c >= 'A' && c <= 'Z') {
      return c - 'A';
    }
    if (c >= 'a' && c <= 'z') {
      return c - 'a' + 26;
    }
    if (c >= '0' && c <= '9') {
      return c - '0' + 52;
    }
    if (c == '+' || c == '-') {
      return 62;
    }
    if (c == '/' || c == '_') {
      return 63;
    }
    return -1;
  };
  std::string out;
  out.reserve(text.size() * 3 / 4);
  uint32_t buffer = 0;
  int bits = 0;
  for (char c : text) {
    if (c == '=' || c == '\n' || c == '\r') {
      continue;
    }
    int v = value(c);
    if (v < 0) {
      return std::nullopt;
    }
    buffer = (buffer << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((buffer >> bits) & 0xFF);
    }
  }
  return out;
}

FakeServer::FakeServer(event::Loop& loop, Bot& bot, ServerConfig config)
    : m_loop(loop), m_bot(bot), m_config(std::move(config)), m_rng(m_config.seed) {
  http::ServerOptions options;
  options.idle_timeout = Millis(120'000);
  m_server = std::make_unique<http::Server>(
      loop,
      [this](http::Request&& request, http::Responder respond) { handle(std::move(request), std::move(respond)); },
      options);
  m_pusher = std::make_unique<WebhookPusher>(loop, bot);
}

FakeServer::~FakeServer() {
  *m_alive = false;
  if (m_waiter && m_waiter->timer) {
    m_loop.cancel(m_waiter->timer);
  }
}

Result<void> FakeServer::listen() {
  return m_server->listen(m_config.host, m_config.port);
}

int FakeServer::port() const {
  return m_server->port();
}

void FakeServer::close() {
  if (m_waiter) {
    answer_waiter(m_bot.poll_now(m_waiter->limit));
  }
  m_server->close();
}

void FakeServer::script(const std::string& method, std::vector<Scripted> answers) {
  auto& queue = m_scripts[lower(method)];
  for (auto& answer : answers) {
    queue.push_back(std::move(answer));
  }
}

void FakeServer::handle(http::Request&& request, http::Responder respond) {
  std::string_view path = request.path;
  if (path.rfind("/control/", 0) == 0) {
    handle_control(std::move(request), std::move(respond));
    return;
  }
  if (path.rfind("/file/bot", 0) == 0) {
    auto rest = path.substr(9);
    auto slash = rest.find('/');
    std::string token = url_decode(rest.substr(0, slash));
    if (slash == std::string_view::npos || !token_ok(token, respond)) {
      if (slash == std::string_view::npos) {
        respond(to_response(error_reply(404, "Not Found")));
      }
      return;
    }
    handle_file(url_decode(rest.substr(slash + 1)), std::move(respond));
    return;
  }
  if (path.rfind("/bot", 0) == 0) {
    auto rest = path.substr(4);
    auto slash = rest.find('/');
    if (slash == std::string_view::npos) {
      respond(to_response(error_reply(404, "Not Found")));
      return;
    }
    std::string token = url_decode(rest.substr(0, slash));
    if (!token_ok(token, respond)) {
      return;
    }
    std::string method(rest.substr(slash + 1));
    handle_bot_api(std::move(request), method, std::move(respond));
    return;
  }
  respond(to_response(error_reply(404, "Not Found")));
}

bool FakeServer::token_ok(std::string_view token, http::Responder& respond) {
  if (!well_formed_token(token)) {
    respond(to_response(error_reply(404, "Not Found"))); // what Telegram answers to a malformed token
    return false;
  }
  if (!m_config.token.empty() && token != m_config.token) {
    respond(to_response(error_reply(401, "Unauthorized")));
    return false;
  }
  return true;
}

http::Responder FakeServer::delayed(std::string_view method, http::Responder respond) {
  auto it = m_config.latency.find(lower(method));
  if (it == m_config.latency.end()) {
    it = m_config.latency.find("*");
  }
  if (it == m_config.latency.end() || it->second.count() <= 0) {
    return respond;
  }
  Millis delay = it->second;
  event::Loop* loop = &m_loop;
  return [loop, delay, respond](http::Response response) {
    loop->after(delay, [respond, response = std::move(response)]() mutable { respond(std::move(response)); });
  };
}

void FakeServer::handle_bot_api(http::Request&& request, std::string_view method, http::Responder respond) {
  m_bot.count_request(method);
  std::string name = lower(method);
  respond = delayed(name, std::move(respond));
  if (auto script = m_scripts.find(name); script != m_scripts.end() && !script->second.empty()) {
    Scripted answer = std::move(script->second.front());
    script->second.pop_front();
    if (answer.drop) {
      respond(http::Response::drop());
    } else if (answer.body.empty()) {
      respond(to_response(error_reply(answer.status, default_description(answer.status),
                                      answer.status == 429 ? std::optional<int>(1) : std::nullopt)));
    } else {
      respond(http::Response::json(answer.status, std::move(answer.body)));
    }
    return;
  }
  std::uniform_real_distribution<double> chance(0.0, 1.0);
  if (m_config.drop_rate > 0 && chance(m_rng) < m_config.drop_rate) {
    respond(http::Response::drop());
    return;
  }
  if (m_config.fail_rate > 0 && chance(m_rng) < m_config.fail_rate) {
    respond(to_response(error_reply(500, "Internal Server Error")));
    return;
  }
  auto parsed = Params::parse(request.query, request.body);
  if (auto* failure = std::get_if<ApiFailure>(&parsed)) {
    respond(to_response(error_reply(failure->status, failure->description)));
    return;
  }
  const Params& params = std::get<Params>(parsed);
  if (name == "getupdates") {
    get_updates(params, std::move(respond));
    return;
  }
  int64_t next_update = m_bot.updates().next_id();
  Reply reply = m_bot.call(method, params);
  if (m_bot.updates().next_id() != next_update) {
    updates_added(); // an auto-click answered the bot's keyboard
  }
  if (name == "setwebhook" && reply.status == 200 && !m_bot.webhook().url.empty()) {
    if (m_waiter) {
      answer_waiter(error_reply(409, k_webhook_active));
    }
    m_pusher->kick();
  }
  respond(to_response(reply));
}

void FakeServer::get_updates(const Params& params, http::Responder respond) {
  if (m_waiter) {
    // Telegram allows one poller per token: the newer request wins.
    answer_waiter(error_reply(409, k_terminated));
  }
  PollDecision decision = m_bot.get_updates(params);
  if (decision.reply) {
    respond(to_response(*decision.reply));
    return;
  }
  Waiter waiter;
  waiter.respond = std::move(respond);
  waiter.limit = decision.limit;
  std::weak_ptr<bool> alive = m_alive;
  waiter.timer = m_loop.after(std::chrono::seconds(decision.timeout_s), [this, alive] {
    if (auto lock = alive.lock(); lock && *lock && m_waiter) {
      m_waiter->timer = 0;
      answer_waiter(m_bot.poll_now(m_waiter->limit));
    }
  });
  m_waiter = std::move(waiter);
}

void FakeServer::answer_waiter(Reply reply) {
  if (!m_waiter) {
    return;
  }
  Waiter waiter = std::move(*m_waiter);
  m_waiter.reset();
  if (waiter.timer) {
    m_loop.cancel(waiter.timer);
  }
  waiter.respond(to_response(reply));
}

void FakeServer::updates_added() {
  m_pusher->kick();
  if (m_wake_scheduled) {
    return;
  }
  m_wake_scheduled = true;
  std::weak_ptr<bool> alive = m_alive;
  // Deferred, so a burst of injections in one loop round completes the held poll once.
  m_loop.defer([this, alive] {
    if (auto lock = alive.lock(); !lock || !*lock) {
      return;
    }
    m_wake_scheduled = false;
    if (m_waiter && m_bot.has_updates()) {
      answer_waiter(m_bot.poll_now(m_waiter->limit));
    }
  });
}

void FakeServer::handle_file(std::string_view path, http::Responder respond) {
  m_bot.count_request("file");
  const StoredFile* file = m_bot.file_by_path(std::string(path));
  if (!file) {
    respond(to_response(error_reply(404, "Not Found")));
    return;
  }
  http::Response response;
  response.status = 200;
  response.headers.push_back({"Content-Type", "application/octet-stream"});
  response.body = file->bytes;
  delayed("file", std::move(respond))(std::move(response));
}

} // namespace m2g::fake::telegram
