// The fake's control API (/control/...): the test side. Tests play the people in the chats
// (inject messages, photos, clicks), read what the bot showed, count calls, and script faults.
// Every endpoint takes and returns JSON; see m2g-bench(1) for the list.
#include "common/fake/telegram/server.hpp"

namespace m2g::fake::telegram {
namespace {

http::Response control_ok(json body) {
  body["ok"] = true;
  return http::Response::json(200, body.dump());
}

http::Response control_error(int status, const std::string& message) {
  return http::Response::json(status, json{{"ok", false}, {"error", message}}.dump());
}

Bot::Person person_from(const json& body) {
  Bot::Person who;
  who.chat_id = body.value("chat_id", int64_t{42});
  who.user_id = body.value("user_id", int64_t{0});
  who.first_name = body.value("first_name", std::string("Test"));
  who.username = body.value("username", std::string());
  who.language_code = body.value("language_code", std::string("en"));
  return who;
}

// File bytes given as "data_base64" or as plain text "data".
std::optional<std::string> bytes_from(const json& body) {
  if (body.contains("data_base64")) {
    return base64_decode(body.value("data_base64", std::string()));
  }
  return body.value("data", std::string());
}

http::Response from_variant(const std::variant<json, ApiFailure>& result) {
  if (const auto* failure = std::get_if<ApiFailure>(&result)) {
    return control_error(failure->status, failure->description);
  }
  return control_ok(std::get<json>(result));
}

} // namespace

void FakeServer::handle_control(http::Request&& request, http::Responder respond) {
  std::string what(std::string_view(request.path).substr(9));
  json body = json::object();
  if (!request.body.empty()) {
    body = json::parse(request.body, nullptr, false);
    if (body.is_discarded() || !body.is_object()) {
      respond(control_error(400, "the body must be a JSON object"));
      return;
    }
  }
  try {
    if (request.method == "GET") {
      if (what == "health") {
        respond(control_ok({{"port", port()}}));
      } else if (what == "stats") {
        respond(control_ok(m_bot.stats()));
      } else if (what == "chat") {
        auto chat_id = request.query_param("chat_id");
        if (chat_id.empty()) {
          respond(control_error(400, "chat_id query parameter needed"));
          return;
        }
        respond(control_ok(m_bot.chat_state(std::stoll(chat_id))));
      } else if (what == "updates") {
        json ids = json::array();
        for (const auto& update : m_bot.updates().all()) {
          ids.push_back(update.id);
        }
        respond(control_ok({{"pending", ids}}));
      } else {
        respond(control_error(404, "no control endpoint GET /control/" + what));
      }
      return;
    }
    if (request.method != "POST") {
      respond(control_error(405, "use GET or POST"));
      return;
    }
    Bot::Person who = person_from(body);
    if (what == "message") {
      json result = m_bot.inject_text(who, body.value("text", std::string("hello")),
                                      body.value("reply_to_message_id", int64_t{0}),
                                      body.contains("entities") ? body["entities"] : json());
      updates_added();
      respond(control_ok(result));
    } else if (what == "photo") {
      auto bytes = bytes_from(body);
      if (!bytes) {
        respond(control_error(400, "data_base64 is not base64"));
        return;
      }
      json result =
          m_bot.inject_photo(who, *bytes, body.value("width", 1280), body.value("height", 960),
                             body.value("caption", std::string()), body.value("media_group_id", std::string()));
      updates_added();
      respond(control_ok(result));
    } else if (what == "document") {
      auto bytes = bytes_from(body);
      if (!bytes) {
        respond(control_error(400, "data_base64 is not base64"));
        return;
      }
      json result = m_bot.inject_document(who, *bytes, body.value("file_name", std::string("file.bin")),
                                          body.value("mime_type", std::string("application/octet-stream")),
                                          body.value("caption", std::string()));
      updates_added();
      respond(control_ok(result));
    } else if (what == "edit") {
      auto result = m_bot.inject_edit(who, body.value("message_id", int64_t{0}), body.value("text", std::string()));
      updates_added();
      respond(from_variant(result));
    } else if (what == "click") {
      auto result = m_bot.inject_click(who, body.value("message_id", int64_t{0}), body.value("data", std::string()));
      updates_added();
      respond(from_variant(result));
    } else if (what == "channel_post") {
      json result = m_bot.inject_channel_post(body.value("chat_id", int64_t{-1001000000001}),
                                              body.value("text", std::string("post")));
      updates_added();
      respond(control_ok(result));
    } else if (what == "update") {
      auto result = m_bot.inject_raw(body.contains("update") ? body["update"] : body);
      updates_added();
      respond(from_variant(result));
    } else if (what == "bulk" && body.value("photo", false)) {
      auto bytes = bytes_from(body);
      if (!bytes) {
        respond(control_error(400, "data_base64 is not base64"));
        return;
      }
      json result =
          m_bot.inject_bulk_photos(body.value("count", size_t{1000}), body.value("prefix", std::string("photo")),
                                   body.value("first_chat_id", int64_t{1}), body.value("chats", int64_t{100}), *bytes);
      updates_added();
      respond(control_ok(result));
    } else if (what == "bulk") {
      // The first getUpdates page is injected, and a held poll answered, before the rest of the
      // burst is built: ten thousand messages take the fake 10-15 ms to make, which the bot's
      // first messages would otherwise wait out (and a benchmark count as the bot's time).
      size_t count = body.value("count", size_t{1000});
      std::string prefix = body.value("prefix", std::string("message"));
      int64_t first_chat = body.value("first_chat_id", int64_t{1});
      int64_t chats = body.value("chats", int64_t{100});
      size_t head = std::min(count, k_max_updates_per_poll);
      json first = m_bot.inject_bulk(0, head, prefix, first_chat, chats);
      updates_added(); // deferred: it runs (and answers the poll) before the callback below
      std::weak_ptr<bool> alive = m_alive;
      m_loop.defer([this, alive, first, count, head, prefix, first_chat, chats, respond] {
        if (auto lock = alive.lock(); !lock || !*lock) {
          return;
        }
        json rest = m_bot.inject_bulk(head, count, prefix, first_chat, chats);
        updates_added();
        json result = first;
        result["last_update_id"] = rest["last_update_id"];
        result["count"] = count;
        respond(control_ok(result));
      });
    } else if (what == "script") {
      std::vector<Scripted> answers;
      for (const auto& entry : body.value("responses", json::array())) {
        Scripted answer;
        answer.status = entry.value("status", 200);
        answer.drop = entry.value("drop", false);
        if (entry.contains("body")) {
          answer.body = entry["body"].is_string() ? entry["body"].get<std::string>() : entry["body"].dump();
        } else if (entry.contains("description") || entry.contains("retry_after")) {
          json envelope = {{"ok", false},
                           {"error_code", answer.status},
                           {"description", entry.value("description", std::string("Error"))}};
          if (entry.contains("retry_after")) {
            envelope["parameters"] = {{"retry_after", entry["retry_after"]}};
            if (!entry.contains("description")) {
              envelope["description"] = "Too Many Requests: retry after " + entry["retry_after"].dump();
            }
          }
          answer.body = envelope.dump();
        }
        answers.push_back(std::move(answer));
      }
      size_t count = answers.size();
      script(body.value("method", std::string("getUpdates")), std::move(answers));
      respond(control_ok({{"scripted", count}}));
    } else if (what == "faults") {
      m_config.fail_rate = body.value("fail_rate", m_config.fail_rate);
      m_config.drop_rate = body.value("drop_rate", m_config.drop_rate);
      if (body.contains("latency_ms") && body["latency_ms"].is_object()) {
        for (const auto& [method, ms] : body["latency_ms"].items()) {
          m_config.latency[lower(method)] = Millis(ms.get<int64_t>());
        }
      }
      respond(control_ok({{"fail_rate", m_config.fail_rate}, {"drop_rate", m_config.drop_rate}}));
    } else if (what == "limits") {
      SendLimits limits = m_bot.limiter().limits();
      limits.global_rate = body.value("global_rate", limits.global_rate);
      limits.global_burst = body.value("global_burst", limits.global_burst);
      limits.chat_rate = body.value("chat_rate", limits.chat_rate);
      limits.chat_burst = body.value("chat_burst", limits.chat_burst);
      limits.group_per_minute = body.value("group_per_minute", limits.group_per_minute);
      m_bot.limiter().set_limits(limits);
      respond(control_ok(json::object()));
    } else if (what == "webhook") {
      m_bot.set_webhook_for_test(body.value("url", std::string()), body.value("secret_token", std::string()));
      if (!m_bot.webhook().url.empty()) {
        // Like setWebhook: a held poll ends with the webhook conflict.
        Params none = std::get<Params>(Params::parse("", ""));
        answer_waiter(m_bot.get_updates(none).reply.value_or(Reply{200, "{\"ok\":true,\"result\":[]}"}));
        updates_added();
      }
      respond(control_ok({{"url", m_bot.webhook().url}}));
    } else if (what == "autoclick") {
      m_bot.set_auto_click(body.value("label", std::string()));
      respond(control_ok({{"label", m_bot.auto_click()}}));
    } else if (what == "block") {
      m_bot.set_blocked(body.value("chat_id", int64_t{42}), body.value("blocked", true));
      respond(control_ok(json::object()));
    } else if (what == "admins") {
      // {"chat_id":G,"creator":U,"administrators":[U,...]}: getChatMember's answers in chat G.
      std::set<int64_t> administrators;
      for (const auto& id : body.value("administrators", json::array())) {
        administrators.insert(id.get<int64_t>());
      }
      int64_t chat_id = body.value("chat_id", int64_t{42});
      m_bot.set_admins(chat_id, body.value("creator", int64_t{0}), std::move(administrators));
      respond(control_ok({{"chat_id", chat_id}}));
    } else if (what == "reset") {
      answer_waiter(Reply{200, "{\"ok\":true,\"result\":[]}"});
      m_bot.reset();
      m_scripts.clear();
      respond(control_ok(json::object()));
    } else {
      respond(control_error(404, "no control endpoint POST /control/" + what));
    }
  } catch (const std::exception& e) {
    // A field of the wrong type in a test's request: say which, do not crash the fake.
    respond(control_error(400, std::string("bad control request: ") + e.what()));
  }
}

} // namespace m2g::fake::telegram
