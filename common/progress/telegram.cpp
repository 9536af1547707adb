#include "common/progress/telegram.hpp"

#include "common/core/ascii.hpp"
#include "common/jsonl/scan.hpp"
#include "common/progress/fields.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <optional>

namespace m2g::progress {
namespace {

// A 429 without a usable retry_after waits this long.
constexpr Millis k_default_retry_after{1000};
// Nobody waits longer than this for one 429, whatever a broken server says.
constexpr Millis k_max_retry_after{3'600'000};

bool has(const std::string& haystack, std::string_view needle) {
  return haystack.find(needle) != std::string::npos;
}

// "Too Many Requests: retry after 5" -> 5 s, for servers that leave out parameters.retry_after.
Millis retry_after_from(const json& body, const std::string& description) {
  int64_t seconds = -1;
  auto params = body.find("parameters");
  if (params != body.end() && params->is_object()) {
    auto value = params->find("retry_after");
    if (value != params->end() && value->is_number()) {
      seconds = static_cast<int64_t>(value->get<double>());
    }
  }
  if (seconds < 0) {
    std::string text = ascii_lower(description);
    size_t at = text.find("retry after ");
    if (at != std::string::npos) {
      const char* begin = text.data() + at + 12;
      std::from_chars(begin, text.data() + text.size(), seconds);
    }
  }
  if (seconds <= 0) {
    return k_default_retry_after;
  }
  return std::min(Millis(seconds * 1000), k_max_retry_after);
}

Outcome outcome_of_400(const std::string& description) {
  std::string text = ascii_lower(description);
  if (has(text, "message is not modified")) {
    return Outcome::not_modified;
  }
  if (has(text, "message to edit not found") || has(text, "message to delete not found") ||
      has(text, "message can't be edited") || has(text, "message can't be deleted") ||
      has(text, "message_id_invalid")) {
    return Outcome::gone;
  }
  if (has(text, "chat not found") || has(text, "peer_id_invalid")) {
    return Outcome::forbidden;
  }
  return Outcome::bad_request;
}

// The message_id of a successful reply's "result", read without a DOM: most replies are a
// Message of a few hundred bytes of which only this is used. Nothing when the body is not a
// successful Bot API reply (then the full parse below sorts it out).
std::optional<int64_t> success_message_id(std::string_view body) {
  jsonl::ScanInfo info;
  size_t offset = 0;
  if (jsonl::scan(body, info, offset) != nullptr || !info.is_object) {
    return std::nullopt;
  }
  constexpr std::array<std::string_view, 2> k_keys{"ok", "result"};
  std::array<RawValue, 2> values;
  if (!find_members(body, k_keys, values) || !values[0].is_true()) {
    return std::nullopt;
  }
  if (values[1].type != RawValue::Type::object) {
    return 0;
  }
  constexpr std::array<std::string_view, 1> k_id{"message_id"};
  std::array<RawValue, 1> id;
  if (!find_members(values[1].text, k_id, id)) {
    return std::nullopt;
  }
  if (id[0].type != RawValue::Type::number) {
    return 0;
  }
  return id[0].integer(); // nothing for a float or a huge number: the parser decides
}

} // namespace

Reply classify(int status, std::string_view body, std::string_view transport_error) {
  Reply reply;
  reply.status = status;
  if (status == 0 || !transport_error.empty()) {
    reply.outcome = Outcome::transient;
    reply.description = transport_error.empty() ? "no response" : std::string(transport_error);
    return reply;
  }
  if (status >= 200 && status < 300) {
    if (auto message_id = success_message_id(body)) {
      reply.outcome = Outcome::ok;
      reply.message_id = *message_id;
      return reply;
    }
  }
  json parsed = json::parse(body, nullptr, false);
  bool envelope = parsed.is_object() && parsed.contains("ok") && parsed["ok"].is_boolean();
  if (envelope && parsed["ok"].get<bool>() && status >= 200 && status < 300) {
    reply.outcome = Outcome::ok;
    auto result = parsed.find("result");
    if (result != parsed.end() && result->is_object()) {
      auto id = result->find("message_id");
      reply.message_id = id != result->end() && id->is_number_integer() ? id->get<int64_t>() : 0;
    }
    return reply;
  }
  int code = status;
  if (envelope) {
    auto description = parsed.find("description");
    if (description != parsed.end() && description->is_string()) {
      reply.description = description->get<std::string>();
    }
    auto error_code = parsed.find("error_code");
    if (status < 300 && error_code != parsed.end() && error_code->is_number_integer()) {
      code = error_code->get<int>(); // ok:false inside a 200
    }
  } else {
    reply.description = "HTTP " + std::to_string(status) + " without a Bot API reply";
    if (status >= 200 && status < 300) {
      reply.outcome = Outcome::transient; // garbage from a proxy or a half-dead server
      return reply;
    }
  }
  if (code == 429) {
    reply.outcome = Outcome::rate_limited;
    reply.retry_after = retry_after_from(envelope ? parsed : json::object(), reply.description);
  } else if (code == 401) {
    reply.outcome = Outcome::unauthorized;
  } else if (code == 403) {
    reply.outcome = Outcome::forbidden;
  } else if (code >= 500 || code < 400) {
    reply.outcome = Outcome::transient;
  } else if (code == 400) {
    reply.outcome = outcome_of_400(reply.description);
  } else {
    reply.outcome = Outcome::bad_request;
  }
  return reply;
}

const char* outcome_name(Outcome outcome) {
  switch (outcome) {
  case Outcome::ok:
    return "ok";
  case Outcome::not_modified:
    return "not modified";
  case Outcome::gone:
    return "message gone";
  case Outcome::rate_limited:
    return "rate limited";
  case Outcome::transient:
    return "transient failure";
  case Outcome::unauthorized:
    return "unauthorized";
  case Outcome::forbidden:
    return "forbidden";
  case Outcome::bad_request:
    return "bad request";
  }
  return "?";
}

} // namespace m2g::progress
