#include "common/route/chat_admins.hpp"

#include "common/core/exit_codes.hpp"
#include "common/event/loop.hpp"
#include "common/http/either_client.hpp"
#include "common/telegram/api.hpp"

#include <chrono>

namespace m2g::route {
namespace {

// A backstop over the HTTP client's own deadline: if the answer has not come by then, the
// client is destroyed, which abandons the transfer.
constexpr Millis k_backstop_margin{1000};

} // namespace

ChatAdmins::ChatAdmins(ChatAdminsOptions options, const Clock& clock) : m_options(std::move(options)), m_clock(clock) {}

Result<bool> ChatAdmins::is_admin(int64_t chat_id, int64_t user_id) {
  if (user_id <= 0) {
    return fail(exit_code::k_dataerr, "the update names no sender");
  }
  int64_t now = m_clock.unix_ms();
  auto key = std::make_pair(chat_id, user_id);
  if (auto it = m_remembered.find(key); it != m_remembered.end()) {
    if (it->second.until_ms > now) {
      return it->second.admin;
    }
    m_remembered.erase(it);
  }
  auto status = member_status(chat_id, user_id);
  if (!status) {
    return status.failure(); // a failure is not remembered: the next command asks again
  }
  bool admin = *status == "creator" || *status == "administrator";
  if (m_remembered.size() >= m_options.max_remembered) {
    std::erase_if(m_remembered, [now](const auto& entry) { return entry.second.until_ms <= now; });
    if (m_remembered.size() >= m_options.max_remembered) {
      m_remembered.clear(); // all fresh: start over rather than grow
    }
  }
  m_remembered[key] = Remembered{admin, now + m_options.remember.count()};
  return admin;
}

Result<std::string> ChatAdmins::member_status(int64_t chat_id, int64_t user_id) {
  if (!m_options.token || m_options.token->empty()) {
    return fail(exit_code::k_config, "no bot token configured (M2G_TELEGRAM_TOKEN or M2G_TELEGRAM_TOKEN_FILE)");
  }
  ++m_calls;
  // A loop of its own: the stage's loop is inside a callback while this runs.
  event::Loop loop;
  http::EitherClient client(loop, "auto");
  telegram::Api api(client, {.base_url = m_options.api_url, .token = *m_options.token, .timeout = m_options.timeout});
  std::optional<telegram::Reply> answer;
  api.call("getChatMember", {{"chat_id", chat_id}, {"user_id", user_id}},
           [&answer](telegram::Reply&& reply) { answer = std::move(reply); });
  auto backstop = std::chrono::steady_clock::now() + m_options.timeout + k_backstop_margin;
  while (!answer && std::chrono::steady_clock::now() < backstop) {
    loop.run_once(Millis(100));
  }
  if (!answer) {
    return fail(exit_code::k_tempfail,
                "getChatMember: no answer within " + std::to_string(m_options.timeout.count() / 1000) + " s");
  }
  if (!answer->ok()) {
    return fail(answer->retryable() ? exit_code::k_tempfail : exit_code::k_unavailable,
                "getChatMember: " + answer->summary());
  }
  if (!answer->result.is_object() || !answer->result.contains("status") || !answer->result["status"].is_string()) {
    return fail(exit_code::k_unavailable, "getChatMember: the answer has no status");
  }
  return answer->result["status"].get<std::string>();
}

} // namespace m2g::route
