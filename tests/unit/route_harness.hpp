#pragma once
// A Router on a fresh database with a ManualClock, and builders for the update lines m2g-poll
// writes, for the route unit tests.

#include "tests/unit/scratch.hpp"

#include "common/route/router.hpp"

#include <doctest/doctest.h>

namespace m2g::test {

using nlohmann::json;
using route::Config;
using route::Router;

inline constexpr int64_t k_chat = 42;
inline constexpr int64_t k_date = 1'700'000'000;

struct Harness {
  explicit Harness(Config config = make_config(), std::string dir = fresh_dir("router"))
      : db(dir + "/route.db"), config(std::move(config)) {
    reopen();
  }
  /// The key done and close buttons are signed with (route::ButtonSigner).
  static crypto::Key instance_key() { return crypto::Key::from_bytes(std::string(32, 'i')).take_or_throw(); }
  static Config make_config() {
    Config c;
    c.allowed_chats = {k_chat};
    c.admin_chats = {k_chat}; // as m2g-route defaults them to the allowed chats
    c.llm_configured = true;
    c.instance_key = instance_key();
    return c;
  }
  void reopen() {
    router.reset();
    router = Router::open(db, config, clock).take_or_throw();
  }
  std::vector<json> feed(const json& update) { return router->handle(update).take_or_throw(); }

  ManualClock clock{k_date * 1000};
  std::string db;
  Config config;
  std::unique_ptr<Router> router;
  int64_t next_update = 1;
};

inline json message(Harness& h, int64_t message_id, const std::string& text, int64_t chat = k_chat) {
  int64_t n = h.next_update++;
  return {{"v", 1},
          {"kind", "update"},
          {"id", "tg:" + std::to_string(n)},
          {"update_id", n},
          {"type", "message"},
          {"chat_id", chat},
          {"user_id", 7},
          {"message_id", message_id},
          {"date", k_date},
          {"chat_type", "private"},
          {"text", text},
          {"t0", 123}};
}

inline json click(Harness& h, const std::string& data, int64_t keyboard_id = 500, const std::string& cb_id = "",
                  int64_t chat = k_chat) {
  int64_t n = h.next_update++;
  return {{"v", 1},
          {"kind", "update"},
          {"id", "tg:" + std::to_string(n)},
          {"update_id", n},
          {"type", "callback_query"},
          {"chat_id", chat},
          {"user_id", 7},
          {"message_id", keyboard_id},
          {"callback",
           {{"id", cb_id.empty() ? "cb" + std::to_string(n) : cb_id}, {"data", data}, {"message_id", keyboard_id}}}};
}

inline std::vector<json> of_kind(const std::vector<json>& lines, const std::string& kind) {
  std::vector<json> out;
  for (const auto& line : lines) {
    if (line["kind"] == kind) {
      out.push_back(line);
    }
  }
  return out;
}

inline std::vector<json> calls(const std::vector<json>& lines, const std::string& method) {
  std::vector<json> out;
  for (const auto& line : of_kind(lines, "action")) {
    if (line["method"] == method) {
      out.push_back(line);
    }
  }
  return out;
}

// The text of the only sendMessage.
inline std::string sent_text(const std::vector<json>& lines) {
  auto sends = calls(lines, "sendMessage");
  REQUIRE(sends.size() == 1);
  return sends[0]["params"]["text"].get<std::string>();
}

} // namespace m2g::test
