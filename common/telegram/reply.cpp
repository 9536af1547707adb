#include "common/telegram/reply.hpp"

#include "common/jsonl/scan.hpp"

#include <array>
#include <cctype>

namespace m2g::telegram {
namespace {

// 400 descriptions that mean "the message is not there (any more)".
constexpr std::array<std::string_view, 6> k_gone{
    "message to edit not found", "message to delete not found", "message to be replied not found",
    "MESSAGE_ID_INVALID",        "message can't be edited",     "message can't be deleted",
};

// "Too Many Requests: retry after 5": the number, for proxies that drop `parameters`.
Millis retry_after_from_description(std::string_view description) {
  auto at = description.find("retry after ");
  if (at == std::string_view::npos) {
    return Millis(0);
  }
  int64_t seconds = 0;
  for (size_t i = at + 12; i < description.size() && std::isdigit(static_cast<unsigned char>(description[i])); ++i) {
    seconds = seconds * 10 + (description[i] - '0');
    if (seconds > 86'400) {
      break;
    }
  }
  return Millis(seconds * 1000);
}

Outcome outcome_for_status(int status) {
  switch (status) {
  case 401:
    return Outcome::unauthorized;
  case 403:
    return Outcome::forbidden;
  case 404:
    return Outcome::not_found;
  case 409:
    return Outcome::conflict;
  case 429:
    return Outcome::rate_limited;
  default:
    return status >= 400 && status < 500 ? Outcome::bad_request : Outcome::transient;
  }
}

} // namespace

const char* outcome_name(Outcome outcome) {
  switch (outcome) {
  case Outcome::ok:
    return "ok";
  case Outcome::not_modified:
    return "not_modified";
  case Outcome::gone:
    return "gone";
  case Outcome::rate_limited:
    return "rate_limited";
  case Outcome::transient:
    return "transient";
  case Outcome::unauthorized:
    return "unauthorized";
  case Outcome::forbidden:
    return "forbidden";
  case Outcome::conflict:
    return "conflict";
  case Outcome::not_found:
    return "not_found";
  case Outcome::bad_request:
    return "bad_request";
  }
  return "unknown";
}

bool is_not_modified(std::string_view description) {
  return description.find("message is not modified") != std::string_view::npos;
}

std::string Reply::summary() const {
  if (status == 0) {
    return "transport error: " + description;
  }
  std::string out = std::to_string(status);
  if (!description.empty()) {
    out += ' ';
    out += description;
  }
  return out;
}

Reply classify(int status, std::string_view body, std::string_view transport_error) {
  Reply reply;
  reply.status = status;
  if (status == 0 || !transport_error.empty()) {
    reply.status = 0;
    reply.outcome = Outcome::transient;
    reply.description = transport_error.empty() ? "no response" : std::string(transport_error);
    return reply;
  }
  if (!jsonl::nesting_within(body)) {
    // Copying or dumping such a DOM recurses once per level and overflows the stack: refuse it
    // before one is built. A real answer nests a dozen levels at most.
    reply.outcome = Outcome::transient;
    reply.description = "HTTP " + std::to_string(status) + " answer nested deeper than " +
                        std::to_string(jsonl::k_max_dom_depth) + " levels";
    return reply;
  }
  json parsed = json::parse(body, nullptr, false);
  auto ok = parsed.is_object() ? parsed.find("ok") : parsed.end();
  if (!parsed.is_object() || ok == parsed.end() || !ok->is_boolean()) {
    // Not the Bot API's envelope (a proxy's error page, a truncated body): trust only the status.
    reply.outcome = status >= 200 && status < 300 ? Outcome::transient : outcome_for_status(status);
    reply.description = "HTTP " + std::to_string(status) + " without the Bot API's JSON envelope";
    return reply;
  }
  if (auto description = parsed.find("description"); description != parsed.end() && description->is_string()) {
    reply.description = description->get<std::string>();
  }
  if (auto code = parsed.find("error_code"); code != parsed.end() && code->is_number_integer()) {
    reply.error_code = code->get<int>();
  }
  if (ok->get<bool>()) {
    auto result = parsed.find("result");
    if (result == parsed.end()) {
      reply.outcome = Outcome::transient;
      reply.description = "answer with \"ok\":true but no \"result\"";
      return reply;
    }
    reply.outcome = Outcome::ok;
    reply.result = std::move(*result);
    return reply;
  }
  int code = status >= 400 ? status : (reply.error_code >= 400 ? reply.error_code : 500);
  reply.outcome = outcome_for_status(code);
  if (reply.outcome == Outcome::rate_limited) {
    auto params = parsed.find("parameters");
    if (params != parsed.end() && params->is_object()) {
      auto after = params->find("retry_after");
      if (after != params->end() && after->is_number()) {
        reply.retry_after = Millis(static_cast<int64_t>(after->get<double>() * 1000));
      }
    }
    if (reply.retry_after.count() <= 0) {
      reply.retry_after = retry_after_from_description(reply.description);
    }
  } else if (reply.outcome == Outcome::bad_request) {
    if (is_not_modified(reply.description)) {
      reply.outcome = Outcome::not_modified;
    } else {
      for (auto gone : k_gone) {
        if (reply.description.find(gone) != std::string::npos) {
          reply.outcome = Outcome::gone;
          break;
        }
      }
    }
  }
  return reply;
}

} // namespace m2g::telegram
