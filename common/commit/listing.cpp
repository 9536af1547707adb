#include "common/commit/listing.hpp"

#include "common/commit/markers.hpp"
#include "common/commit/text.hpp"
#include "common/core/log.hpp"
#include "common/crypto/instance_key.hpp"
#include "common/jsonl/line.hpp"
#include "common/jsonl/scan.hpp"
#include "common/route/callback_data.hpp"

#include <algorithm>
#include <cstdlib>

namespace m2g::commit {
namespace {

using json = nlohmann::json;

constexpr size_t k_label_bytes = 40;

std::optional<route::ButtonSigner>& button_signer() {
  static std::optional<route::ButtonSigner> signer;
  return signer;
}

// A signed button, or nothing when there is no signer or signing fails (the list still goes).
std::optional<std::string> button_data(Result<std::string> (*encode)(int64_t, int64_t, const route::ButtonSigner&),
                                       int64_t object, int64_t chat_id) {
  if (!button_signer()) {
    return std::nullopt;
  }
  auto data = encode(object, chat_id, *button_signer());
  if (!data) {
    log::warn("a list goes without buttons: " + data.error());
    return std::nullopt;
  }
  return std::move(*data);
}

std::string label(std::string_view text) {
  std::string flat = one_line(text);
  std::string_view cut = jsonl::utf8_truncate(flat, k_label_bytes);
  return std::string(cut) + (cut.size() < flat.size() ? "…" : "");
}

json send_message(const Job& job, std::string text, json keyboard) {
  json action = job.derive(jsonl::Kind::action);
  action["method"] = "sendMessage";
  json params = {{"chat_id", job.chat_id}, {"text", std::move(text)}, {"parse_mode", "HTML"}};
  if (!keyboard.empty()) {
    params["reply_markup"] = {{"inline_keyboard", std::move(keyboard)}};
  }
  if (job.message_id > 0) {
    params["reply_parameters"] = {{"message_id", job.message_id}, {"allow_sending_without_reply", true}};
  }
  action["params"] = std::move(params);
  action["final"] = true;
  return action;
}

} // namespace

void set_button_signer(std::optional<route::ButtonSigner> signer) {
  button_signer() = std::move(signer);
}

void sign_buttons_with_instance_key(const std::string& key_file) {
  const char* data_dir = std::getenv("M2G_DATA_DIR");
  auto key = crypto::instance_key(key_file, data_dir ? data_dir : "");
  if (!key) {
    log::warn(key.error() + ": /todo and /issue lists come without their buttons");
    return;
  }
  if (!*key) {
    log::info("no key file and no M2G_DATA_DIR for an instance key: /todo and /issue lists come without their buttons");
    return;
  }
  set_button_signer(route::ButtonSigner(**key));
}

json todo_list_action(const Job& job, std::string_view todo_md) {
  std::vector<TodoLine> open;
  for (const TodoLine& todo : todo_lines(todo_md)) {
    // As the reference bot does: a chat sees its own TODOs and those without a chat.
    if (!todo.done && (!todo.chat_id || *todo.chat_id == job.chat_id || *todo.chat_id == 0)) {
      open.push_back(todo);
    }
  }
  if (open.empty()) {
    return send_message(job, "✅ <b>No open TODOs</b>", json::array());
  }
  std::string text = "✅ <b>Open TODOs</b> (" + std::to_string(open.size()) + ")";
  json keyboard = json::array();
  size_t shown = std::min<size_t>(open.size(), static_cast<size_t>(job.limit()));
  for (size_t i = 0; i < shown; ++i) {
    const TodoLine& todo = open[i];
    std::string n = std::to_string(i + 1);
    text += "\n" + n + ". " + html_escape(todo.text);
    if (!todo.date.empty()) {
      text += " <i>(" + html_escape(todo.date) + ")</i>";
    }
    if (auto data = button_data(route::encode_done, todo.message_id, job.chat_id)) {
      keyboard.push_back(json::array({{{"text", "✔ " + n + ". " + label(todo.text)}, {"callback_data", *data}}}));
    }
  }
  if (shown < open.size()) {
    text += "\n… and " + std::to_string(open.size() - shown) + " more";
  }
  return send_message(job, std::move(text), std::move(keyboard));
}

json issue_list_action(const Job& job, std::string_view issue_md) {
  std::vector<IssueLine> open;
  for (const IssueLine& issue : issue_lines(issue_md)) {
    if (issue.open) {
      open.push_back(issue);
    }
  }
  std::stable_sort(open.begin(), open.end(),
                   [](const IssueLine& a, const IssueLine& b) { return a.number > b.number; });
  if (open.empty()) {
    return send_message(job, "🐛 <b>No open issues</b>", json::array());
  }
  std::string text = "🐛 <b>Open issues</b> (" + std::to_string(open.size()) + ")";
  json keyboard = json::array();
  size_t shown = std::min<size_t>(open.size(), static_cast<size_t>(job.limit()));
  for (size_t i = 0; i < shown; ++i) {
    const IssueLine& issue = open[i];
    std::string number = "#" + std::to_string(issue.number);
    bool web = issue.url.rfind("https://", 0) == 0;
    text += "\n";
    text += web ? "<a href=\"" + html_escape(issue.url) + "\">" + number + "</a>" : number;
    text += " " + html_escape(issue.title);
    json row = json::array();
    if (web) {
      row.push_back({{"text", "🔗 " + number}, {"url", std::string(issue.url)}});
    }
    if (auto data = button_data(route::encode_close, issue.number, job.chat_id)) {
      row.push_back({{"text", "✔ Close " + number}, {"callback_data", *data}});
    }
    if (!row.empty()) {
      keyboard.push_back(std::move(row));
    }
  }
  if (shown < open.size()) {
    text += "\n… and " + std::to_string(open.size() - shown) + " more";
  }
  return send_message(job, std::move(text), std::move(keyboard));
}

} // namespace m2g::commit
