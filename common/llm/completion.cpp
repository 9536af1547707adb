#include "common/llm/completion.hpp"

#include "common/llm/text.hpp"

#include <ctime>
#include <nlohmann/json.hpp>

namespace m2g::llm {
namespace {

using json = nlohmann::json;

// CURLE_OPERATION_TIMEDOUT, without pulling curl's header into this file.
constexpr int k_curl_timeout = 28;
// Server-supplied error messages are cut to this many bytes in log lines.
constexpr size_t k_max_message_bytes = 200;

// The OpenAI error envelope {"error": {"message", "type", "code"}}; fields may be absent.
struct ApiError {
  std::string message, type, code;
};

ApiError api_error(std::string_view body) {
  ApiError error;
  json value = json::parse(body, nullptr, false);
  if (!value.is_object() || !value.contains("error")) {
    return error;
  }
  const json& inner = value["error"];
  auto text = [](const json& field) { return field.is_string() ? field.get<std::string>() : std::string(); };
  if (inner.is_object()) {
    error.message = text(inner.value("message", json()));
    error.type = text(inner.value("type", json()));
    error.code =
        inner.contains("code") && inner["code"].is_number() ? inner["code"].dump() : text(inner.value("code", json()));
  } else {
    error.message = text(inner);
  }
  return error;
}

std::string describe(int status, const ApiError& error) {
  std::string reason = "HTTP " + std::to_string(status);
  if (!error.message.empty()) {
    reason += ": " + std::string(cut_utf8(error.message, k_max_message_bytes));
  }
  return reason;
}

std::optional<Usage> usage_of(const json& response) {
  auto it = response.find("usage");
  if (it == response.end() || !it->is_object()) {
    return std::nullopt;
  }
  auto count = [&](const char* name) {
    auto field = it->find(name);
    return field != it->end() && field->is_number() ? field->get<int64_t>() : int64_t{0};
  };
  return Usage{count("prompt_tokens"), count("completion_tokens")};
}

// choices[0].message.content (or the legacy choices[0].text); nullopt if absent.
std::optional<std::string> content_of(const json& response) {
  auto choices = response.find("choices");
  if (choices == response.end() || !choices->is_array() || choices->empty() || !(*choices)[0].is_object()) {
    return std::nullopt;
  }
  const json& choice = (*choices)[0];
  if (auto message = choice.find("message"); message != choice.end() && message->is_object()) {
    auto content = message->find("content");
    if (content != message->end() && content->is_string()) {
      return content->get<std::string>();
    }
    if (content != message->end() && content->is_array()) {
      std::string joined; // content parts [{type: "text", text}]
      for (const auto& part : *content) {
        if (part.is_object() && part.contains("text") && part["text"].is_string()) {
          joined += part["text"].get<std::string>();
        }
      }
      return joined;
    }
  }
  if (auto text = choice.find("text"); text != choice.end() && text->is_string()) {
    return text->get<std::string>();
  }
  return std::nullopt;
}

Attempt assess_success(std::string_view body) {
  Attempt attempt;
  json response = json::parse(body, nullptr, false);
  if (!response.is_object()) {
    attempt.reason = "malformed response: not a JSON object";
    return attempt;
  }
  attempt.usage = usage_of(response);
  std::optional<std::string> content = content_of(response);
  if (!content) {
    ApiError error = api_error(body);
    attempt.reason = error.message.empty() ? "malformed response: no choices[0].message.content"
                                           : "error in a 200 response: " + error.message;
    return attempt;
  }
  attempt.reply = parse_title_reply(*content);
  if (!attempt.reply) {
    attempt.reason = content->empty() ? "empty reply" : "no usable title in the reply";
    return attempt;
  }
  attempt.verdict = Verdict::ok;
  attempt.reason = "ok";
  return attempt;
}

} // namespace

Attempt assess(const Exchange& exchange, int64_t now_unix_ms) {
  if (exchange.status == 0) {
    Attempt attempt;
    attempt.reason =
        exchange.curl_code == k_curl_timeout ? "timed out" : "network error: " + std::string(exchange.transport_error);
    return attempt;
  }
  if (exchange.status >= 200 && exchange.status < 300) {
    return assess_success(exchange.body);
  }
  Attempt attempt;
  ApiError error = api_error(exchange.body);
  attempt.reason = describe(exchange.status, error);
  if (!exchange.retry_after.empty()) {
    attempt.retry_after = parse_retry_after(exchange.retry_after, now_unix_ms);
  }
  if (exchange.status == 429) {
    // One status, two meanings: a rate limit (wait) or an exhausted quota (waiting won't help).
    bool quota = error.code == "insufficient_quota" || error.type == "insufficient_quota";
    attempt.verdict = quota ? Verdict::give_up : Verdict::retry;
    return attempt;
  }
  bool transient = exchange.status == 408 || exchange.status == 425 || exchange.status >= 500;
  attempt.verdict = transient ? Verdict::retry : Verdict::give_up;
  return attempt;
}

std::optional<Millis> parse_retry_after(std::string_view value, int64_t now_unix_ms) {
  value = trim(value);
  if (value.empty()) {
    return std::nullopt;
  }
  if (value.find_first_not_of("0123456789") == std::string_view::npos) {
    if (value.size() > 9) {
      return Millis(999'999'999'000); // absurdly long: the caller caps it
    }
    return Millis(std::stoll(std::string(value)) * 1000);
  }
  // IMF-fixdate, e.g. "Wed, 21 Oct 2015 07:28:00 GMT".
  std::tm tm{};
  std::string text(value);
  const char* end = strptime(text.c_str(), "%a, %d %b %Y %H:%M:%S GMT", &tm);
  if (end == nullptr || *end != '\0') {
    return std::nullopt;
  }
  int64_t when_ms = static_cast<int64_t>(timegm(&tm)) * 1000;
  return Millis(std::max<int64_t>(0, when_ms - now_unix_ms));
}

} // namespace m2g::llm
