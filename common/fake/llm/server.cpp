#include "common/fake/llm/server.hpp"

#include "common/core/log.hpp"

#include <chrono>
#include <nlohmann/json.hpp>

namespace m2g::fake::llm {
namespace {

using json = nlohmann::json;

// About one token per four bytes, as OpenAI's rule of thumb; never 0 for a non-empty text.
int64_t tokens_of(size_t bytes) {
  return static_cast<int64_t>((bytes + 3) / 4);
}

http::Response error_response(int status, std::string_view message, std::string_view type, std::string_view code) {
  json body = {{"error", {{"message", message}, {"type", type}, {"code", code.empty() ? json(nullptr) : json(code)}}}};
  return http::Response::json(status, body.dump());
}

} // namespace

FakeLlm::FakeLlm(event::Loop& loop, Config config)
    : m_loop(loop), m_config(std::move(config)),
      m_server(loop, [this](http::Request&& request, http::Responder respond) { handle(std::move(request), respond); }),
      m_rng(m_config.seed) {}

Result<void> FakeLlm::listen() {
  return m_server.listen(m_config.host, m_config.port);
}

std::string FakeLlm::stats() const {
  json answers = json::object();
  for (const auto& [name, n] : m_answers) {
    answers[name] = n;
  }
  json out = {{"requests", m_requests},
              {"answers", answers},
              {"pending", m_pending},
              {"hanging", m_hanging},
              {"connections", m_server.accepted_total()}};
  return out.dump();
}

void FakeLlm::handle(http::Request&& request, http::Responder respond) {
  ++m_requests;
  if (request.path == "/stats") {
    respond(http::Response::json(200, stats()));
    return;
  }
  if (request.path != "/v1/chat/completions" && request.path != "/chat/completions") {
    count("404");
    respond(error_response(404, "Unknown path " + request.path, "invalid_request_error", "unknown_url"));
    return;
  }
  if (request.method != "POST") {
    count("405");
    respond(error_response(405, "Use POST", "invalid_request_error", "method_not_allowed"));
    return;
  }
  if (!m_config.key.empty() && request.header("Authorization") != "Bearer " + m_config.key) {
    count("401");
    respond(error_response(401, "Incorrect API key provided", "invalid_request_error", "invalid_api_key"));
    return;
  }
  complete(request, std::move(respond));
}

void FakeLlm::complete(const http::Request& request, http::Responder respond) {
  json body = json::parse(request.body, nullptr, false);
  if (!body.is_object() || !body.contains("messages") || !body["messages"].is_array() || body["messages"].empty()) {
    count("400");
    respond(error_response(400, "'messages' is required", "invalid_request_error", ""));
    return;
  }
  std::string model = body.contains("model") && body["model"].is_string() ? body["model"].get<std::string>() : "";
  std::string user_text;
  size_t prompt_bytes = 0;
  for (const auto& message : body["messages"]) {
    if (!message.is_object() || !message.contains("content") || !message["content"].is_string()) {
      continue;
    }
    const auto& content = message["content"].get_ref<const std::string&>();
    prompt_bytes += content.size();
    if (message.value("role", "") == "user") {
      user_text = content;
    }
  }
  Fault fault = m_config.faults.pick(m_rng);
  Micros delay = m_config.latency.sample(m_rng);
  if (fault == Fault::hang) {
    count(fault_name(fault));
    ++m_hanging;
    m_hung.push_back(std::move(respond));
    return;
  }
  http::Response response = answer(fault, model, user_text, tokens_of(prompt_bytes));
  count(fault == Fault::none ? "ok" : fault_name(fault));
  if (delay.count() <= 0) {
    respond(std::move(response));
    return;
  }
  // Timers have millisecond resolution: round up, so an answer never comes early.
  auto wait = std::chrono::ceil<Millis>(delay);
  ++m_pending;
  m_loop.after(wait, [this, respond = std::move(respond), response = std::move(response)]() mutable {
    --m_pending;
    respond(std::move(response));
  });
}

http::Response FakeLlm::answer(Fault fault, const std::string& model, const std::string& user_text,
                               int64_t prompt_tokens) {
  std::string retry_after = std::to_string(m_config.retry_after_s);
  switch (fault) {
  case Fault::rate_limit: {
    auto response = error_response(429, "Rate limit reached for requests", "requests", "rate_limit_exceeded");
    response.headers.push_back({"Retry-After", retry_after});
    return response;
  }
  case Fault::quota:
    return error_response(429, "You exceeded your current quota", "insufficient_quota", "insufficient_quota");
  case Fault::server_error:
    return error_response(500, "The server had an error while processing your request", "server_error", "");
  case Fault::overloaded: {
    auto response = error_response(503, "The engine is currently overloaded", "server_error", "overloaded");
    response.headers.push_back({"Retry-After", retry_after});
    return response;
  }
  case Fault::drop:
    return http::Response::drop();
  case Fault::garbage:
    return http::Response::json(200, "{\"id\": \"chatcmpl-garbage\", \"choices\": [{\"message\": <html>oops");
  default:
    break;
  }
  FakeTitle title = fake_title(user_text);
  std::string content = json({{"title", title.title}, {"hashtags", title.hashtags}}).dump();
  if (fault == Fault::fence) {
    content = "Sure! Here is the title you asked for:\n```json\n" + content + "\n```\nLet me know if you need more.";
  } else if (fault == Fault::empty) {
    content.clear();
  }
  // An empty reply is still billed, as real servers do (one token for the stop).
  int64_t completion_tokens = content.empty() ? 1 : tokens_of(content.size());
  auto now = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch());
  json body = {
      {"id", "chatcmpl-fake-" + std::to_string(m_next_id++)},
      {"object", "chat.completion"},
      {"created", now.count()},
      {"model", model},
      {"choices",
       json::array(
           {{{"index", 0}, {"message", {{"role", "assistant"}, {"content", content}}}, {"finish_reason", "stop"}}})},
      {"usage",
       {{"prompt_tokens", prompt_tokens},
        {"completion_tokens", completion_tokens},
        {"total_tokens", prompt_tokens + completion_tokens}}},
  };
  return http::Response::json(200, body.dump(-1, ' ', false, json::error_handler_t::replace));
}

} // namespace m2g::fake::llm
