#include "common/progress/render.hpp"

#include "common/progress/text.hpp"

#include <algorithm>
#include <array>
#include <cmath>

namespace m2g::progress {
namespace {

// Longest piece of a line echoed into a status message; the whole stays far below 4096.
constexpr size_t k_max_echo_units = 512;

// The defaults for a step that comes without its own pct or text.
struct StepInfo {
  std::string_view step;
  int pct;
  std::string_view text;
};
constexpr std::array<StepInfo, 5> k_steps{{{"queued", 10, "queued…"},
                                           {"title", 30, "generating title…"},
                                           {"titled", 50, "title ready"},
                                           {"committing", 70, "committing…"},
                                           {"pushed", 90, "pushed"}}};

std::string string_field(const json& line, const char* key) {
  auto it = line.find(key);
  return it != line.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// A number field as an integer (floats are rounded down), or `fallback`.
int64_t number_field(const json& line, const char* key, int64_t fallback) {
  auto it = line.find(key);
  if (it == line.end() || !it->is_number()) {
    return fallback;
  }
  double value = it->get<double>();
  return std::isfinite(value) ? static_cast<int64_t>(std::floor(value)) : fallback;
}

// `text` escaped for HTML after shortening what the person sees.
std::string echo(std::string_view text, size_t max_units = k_max_echo_units) {
  return escape_html(fit_plain(text, max_units));
}

bool bool_field(const json& line, const char* key) {
  auto it = line.find(key);
  return it != line.end() && it->is_boolean() && it->get<bool>();
}

Frame html_frame(std::string text, bool final) {
  Frame frame;
  frame.params["text"] = std::move(text);
  frame.params["parse_mode"] = "HTML";
  frame.params["link_preview_options"] = no_link_preview();
  frame.final = final;
  return frame;
}

void add_view_button(Frame& frame, const std::string& url) {
  if (!is_web_url(url)) {
    return;
  }
  frame.link = url;
  frame.params["reply_markup"] = view_button(url);
}

} // namespace

json view_button(const std::string& url) {
  return {{"inline_keyboard", json::array({json::array({{{"text", "🔗 View"}, {"url", url}}})})}};
}

bool is_web_url(std::string_view url) {
  return url.starts_with("https://") || url.starts_with("http://");
}

json no_link_preview() {
  return {{"is_disabled", true}};
}

std::string bar(int pct) {
  pct = std::clamp(pct, 0, 100);
  int filled = pct * 10 / 100;
  std::string out;
  for (int i = 0; i < 10; ++i) {
    out += i < filled ? "▓" : "░";
  }
  return out + " " + std::to_string(pct) + "%";
}

std::string progress_text(std::string_view step, std::string_view text, std::optional<double> pct) {
  auto known = std::find_if(k_steps.begin(), k_steps.end(), [&](const StepInfo& s) { return s.step == step; });
  int64_t value = known != k_steps.end() ? known->pct : 0;
  if (pct && std::isfinite(*pct)) {
    value = static_cast<int64_t>(std::floor(std::clamp(*pct, -1.0, 101.0))); // 1e300 fits no int64_t
  }
  if (text.empty()) {
    text = known != k_steps.end() ? known->text : std::string_view("working…");
  }
  return bar(static_cast<int>(std::clamp<int64_t>(value, 0, 100))) + " " + echo(text);
}

std::string result_text(std::string_view file, bool duplicate, std::string_view title) {
  std::string head;
  if (!file.empty()) {
    head = (duplicate ? "✅ Already saved in <b>" : "✅ Saved to <b>") + echo(file, 256) + "</b>";
  } else {
    head = "✅ Done";
  }
  if (!title.empty()) {
    head += "\n<i>" + echo(title, 256) + "</i>";
  }
  return head;
}

Frame render_progress(const json& line) {
  auto pct = line.find("pct");
  std::optional<double> value;
  if (pct != line.end() && pct->is_number()) {
    value = pct->get<double>();
  }
  Frame frame = html_frame(progress_text(string_field(line, "step"), string_field(line, "text"), value), false);
  frame.from_progress = true;
  return frame;
}

Frame render_result(const json& line) {
  std::string url = string_field(line, "url");
  std::string head;
  auto issue = line.find("issue");
  if (issue != line.end() && issue->is_object() && issue->contains("number")) {
    head = "✅ Opened issue #" + std::to_string(number_field(*issue, "number", 0));
    if (url.empty()) {
      url = string_field(*issue, "url");
    }
    std::string title = string_field(line, "title");
    if (!title.empty()) {
      head += "\n<i>" + echo(title, 256) + "</i>";
    }
  } else {
    head = result_text(string_field(line, "file"), bool_field(line, "duplicate"), string_field(line, "title"));
  }
  Frame frame = html_frame(std::move(head), true);
  frame.ends_job = true;
  add_view_button(frame, url);
  return frame;
}

Frame render_error(const json& line) {
  std::string reason = string_field(line, "reason");
  std::string text = "❌ " + (reason.empty() ? std::string("Failed") : echo(reason));
  bool retryable = bool_field(line, "retryable");
  if (retryable) {
    text += "\nIt will be tried again later.";
  }
  Frame frame = html_frame(std::move(text), true);
  frame.ends_job = true;
  frame.revivable = retryable;
  return frame;
}

Frame render_rejection(const json& line) {
  int64_t retry_ms = number_field(line, "retry_after_ms", -1);
  std::string text = "⏳ Slow down: try again ";
  if (retry_ms >= 0) {
    // Round up: "in 0 s" would invite an immediate retry that is refused again.
    text += "in " + std::to_string(std::max<int64_t>(1, (retry_ms + 999) / 1000)) + " s";
  } else {
    text += "in a moment";
  }
  Frame frame = html_frame(std::move(text), true);
  frame.ends_job = true;
  frame.revivable = true; // the person may send it again
  return frame;
}

bool degrade(Frame& frame) {
  json& params = frame.params;
  if (params.contains("reply_markup")) {
    params.erase("reply_markup");
    if (!frame.link.empty() && params.contains("parse_mode") && params["parse_mode"] == "HTML" &&
        params["text"].is_string()) {
      params["text"] = params["text"].get<std::string>() + "\n🔗 <a href=\"" + escape_html(frame.link) + "\">" +
                       escape_html(frame.link) + "</a>";
    }
    ++frame.degraded;
    return true;
  }
  if (params.contains("parse_mode")) {
    if (params["parse_mode"] == "HTML" && params["text"].is_string()) {
      params["text"] = html_to_plain(params["text"].get<std::string>());
    }
    params.erase("parse_mode");
    params.erase("entities");
    ++frame.degraded;
    return true;
  }
  return false;
}

void fit_params(std::string_view method, json& params) {
  if (!params.is_object()) {
    return;
  }
  auto text = params.find("text");
  if (text == params.end() || !text->is_string()) {
    return;
  }
  const std::string& value = text->get_ref<const std::string&>();
  if (method == "answerCallbackQuery") {
    *text = fit_plain(value, k_max_callback_units);
    return;
  }
  if (method != "sendMessage" && method != "editMessageText") {
    return;
  }
  std::string mode = params.contains("parse_mode") && params["parse_mode"].is_string() ? params["parse_mode"] : "";
  // Telegram counts the text after entity parsing: HTML is measured without its tags.
  std::string visible = mode == "HTML" ? html_to_plain(value) : value;
  if (utf16_length(visible) <= k_max_message_units) {
    return;
  }
  // Cutting formatted text could split a tag or an entity; plain text is always valid.
  params["text"] = fit_plain(visible, k_max_message_units);
  params.erase("parse_mode");
  params.erase("entities");
}

} // namespace m2g::progress
