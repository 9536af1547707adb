#pragma once
// The lines one update produces: Telegram actions for m2g-progress (man m2g(7), kind
// "action"), jobs, and progress events. Every line is derived from the update, so it carries
// its t0 and qid; actions keep the update's id, jobs get their own.

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace m2g::route {

using json = nlohmann::json;

class Output {
public:
  /// `update` is the update line being answered.
  explicit Output(const json& update);

  /// sendMessage in HTML parse mode; a text over 4096 UTF-16 units becomes several messages
  /// (split at line breaks, the keyboard on the last). `reply_to` 0: not a reply.
  void send(int64_t chat_id, const std::string& html, json markup = nullptr, int64_t reply_to = 0);
  /// editMessageText in HTML; without `markup` the message's inline keyboard goes away.
  void edit(int64_t chat_id, int64_t message_id, const std::string& html, json markup = nullptr);
  /// answerCallbackQuery (stops the button's spinner); `text` is cut to Telegram's 200.
  void answer(const std::string& callback_id, const std::string& text = {}, bool alert = false);
  /// deleteMessage.
  void remove(int64_t chat_id, int64_t message_id);
  /// A job line with `id`, derived from the update; fill in its fields, then emit it.
  json job(const std::string& id) const;
  void emit(json line) { m_lines.push_back(std::move(line)); }
  /// A progress event of `job` (stage m2g-route).
  void progress(const json& job, const std::string& step, int pct, const std::string& text);

  std::vector<json>& lines() { return m_lines; }

private:
  json action(const std::string& method, json params) const;

  json m_base;
  std::vector<json> m_lines;
};

} // namespace m2g::route
