#include "common/route/output.hpp"

#include "common/jsonl/line.hpp"
#include "common/route/text.hpp"

namespace m2g::route {

Output::Output(const json& update) : m_base(jsonl::derive(update, jsonl::Kind::action)) {
  // The update entered the pipeline here if m2g-poll did not say when.
  if (!m_base.contains("t0")) {
    m_base["t0"] = m_base["ts"];
  }
}

json Output::action(const std::string& method, json params) const {
  json line = m_base;
  line["method"] = method;
  line["params"] = std::move(params);
  // Everything m2g-route says is a final state: nothing later replaces it.
  line["final"] = true;
  return line;
}

void Output::send(int64_t chat_id, const std::string& html, json markup, int64_t reply_to) {
  std::vector<std::string> parts = split_message(html);
  if (parts.empty()) {
    parts.emplace_back("…");
  }
  for (size_t i = 0; i < parts.size(); ++i) {
    json params = {{"chat_id", chat_id},
                   {"text", parts[i]},
                   {"parse_mode", "HTML"},
                   {"link_preview_options", {{"is_disabled", true}}}};
    if (reply_to != 0 && i == 0) {
      params["reply_parameters"] = {{"message_id", reply_to}, {"allow_sending_without_reply", true}};
    }
    if (!markup.is_null() && i + 1 == parts.size()) {
      params["reply_markup"] = markup;
    }
    m_lines.push_back(action("sendMessage", std::move(params)));
  }
}

void Output::edit(int64_t chat_id, int64_t message_id, const std::string& html, json markup) {
  json params = {{"chat_id", chat_id},
                 {"message_id", message_id},
                 {"text", shorten(html, k_max_message_units)},
                 {"parse_mode", "HTML"},
                 {"link_preview_options", {{"is_disabled", true}}}};
  if (!markup.is_null()) {
    params["reply_markup"] = std::move(markup);
  }
  m_lines.push_back(action("editMessageText", std::move(params)));
}

void Output::answer(const std::string& callback_id, const std::string& text, bool alert) {
  json params = {{"callback_query_id", callback_id}};
  if (!text.empty()) {
    params["text"] = shorten(text, 200);
  }
  if (alert) {
    params["show_alert"] = true;
  }
  m_lines.push_back(action("answerCallbackQuery", std::move(params)));
}

void Output::remove(int64_t chat_id, int64_t message_id) {
  m_lines.push_back(action("deleteMessage", {{"chat_id", chat_id}, {"message_id", message_id}}));
}

json Output::job(const std::string& id) const {
  json line = m_base;
  line["kind"] = "job";
  line["id"] = id;
  return line;
}

void Output::progress(const json& job, const std::string& step, int pct, const std::string& text) {
  json line = jsonl::derive(job, jsonl::Kind::progress);
  line["stage"] = "m2g-route";
  line["step"] = step;
  line["pct"] = pct;
  line["text"] = text;
  m_lines.push_back(std::move(line));
}

} // namespace m2g::route
