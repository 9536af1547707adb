#pragma once
// What a job's status message says. Each progress, result, error or rejection line becomes a
// Frame: the parameters of the sendMessage/editMessageText that shows it. Everything taken
// from a line is escaped for parse_mode HTML and shortened at a character boundary, so a title
// with < & _ * or a long CJK reason never makes Telegram refuse the edit.

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

namespace m2g::progress {

using json = nlohmann::json;

/// One state of a Telegram message.
struct Frame {
  /// sendMessage/editMessageText parameters without chat_id, message_id and reply_parameters:
  /// text, parse_mode, reply_markup, link_preview_options, ...
  json params = json::object();
  /// An end state (result, error, rejection, or an action marked final): always delivered,
  /// scheduled before intermediate states when the budget is short.
  bool final = false;
  /// Rendered from a job's progress line (not from an action): such an intermediate state
  /// may be skipped when the stage drains, as its job will not finish in this process.
  bool from_progress = false;
  /// The end state of a job (result, error, rejection): intermediate states that arrive after
  /// it are stale.
  bool ends_job = false;
  /// ... but the job may run again (a retryable error, a rejection): later states are not stale.
  bool revivable = false;
  /// The link a "🔗 View" button carries; degrade() moves it into the text.
  std::string link;
  /// How often degrade() simplified this frame.
  int degraded = 0;
};

/// The keyboard of a "🔗 View" button to `url`.
json view_button(const std::string& url);
/// The link_preview_options every HTML status frame carries.
json no_link_preview();

/// The ten-cell bar and percentage: "▓▓▓▓▓░░░░░ 50%". `pct` is clamped to 0..100; a cell is
/// filled per whole 10 % (as the reference bot drew it).
std::string bar(int pct);

/// A link a "🔗 View" button may carry: http:// or https://.
bool is_web_url(std::string_view url);

/// The text of a progress state: "▓▓▓░░░░░░░ 30% generating title…". `pct` is the line's pct
/// when it is a number; a known `step` fills in what the line leaves out.
std::string progress_text(std::string_view step, std::string_view text, std::optional<double> pct);
/// The text of a job's result (not an issue): "✅ Saved to <b>note.md</b>" (+ the title).
std::string result_text(std::string_view file, bool duplicate, std::string_view title);

/// "▓▓▓░░░░░░░ 30% generating title…" for a progress line (step, pct, text).
Frame render_progress(const json& line);
/// "✅ Saved to note.md" (+ title, + a "🔗 View" button when the line has a web url).
Frame render_result(const json& line);
/// "❌ reason" for an error line.
Frame render_error(const json& line);
/// "⏳ Slow down: try again in N s" for a rejection line.
Frame render_rejection(const json& line);

/// Simplify a frame Telegram refused with 400: first drop the keyboard (moving its link into
/// the text), then the formatting. False when nothing is left to simplify.
bool degrade(Frame& frame);

/// Fit a Bot API call's parameters to Telegram's limits: message text at most 4096 units
/// after entity parsing (HTML that would exceed it is sent as shortened plain text), callback
/// answers at most 200. Leaves everything else as given.
void fit_params(std::string_view method, json& params);

} // namespace m2g::progress
