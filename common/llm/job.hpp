#pragma once
// What m2g-llm does with a job line: which jobs it owns (op "add" or "issue" without a title),
// which text it titles (a photo's caption), when it asks the model (the chat's "llm": true),
// and how the outcome is written back (title, hashtags, title_source, usage) along with the
// progress events around it. Pure functions on the JSON, tested without any HTTP.

#include "common/llm/completion.hpp"

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace m2g::llm {

/// How a title request ended.
struct TitleResult {
  std::string title;
  std::vector<std::string> hashtags;
  bool from_model = false;    ///< false: `title` is the fallback
  std::optional<Usage> usage; ///< tokens billed over all tries, when the server said
  int attempts = 0;           ///< HTTP requests sent for it
  std::string reason;         ///< why the fallback was used ("" when from_model)
};

/// The decision for one job line.
struct JobPlan {
  bool owned = false;     ///< false: forward the line unchanged
  std::string text;       ///< what to title: the text, or a photo's caption
  std::string fallback;   ///< the title if the model does not give one
  bool ask_model = false; ///< "llm": true and there is text to title
};

/// Decide what to do with a job (a line of kind "job").
JobPlan plan_job(const nlohmann::json& job);

/// What to title in a job: its text, or a photo's caption when it has one (JobPlan::text).
std::string text_to_title(const nlohmann::json& job);

/// Write `result` onto `job`: title, hashtags, title_source ("llm"/"fallback"), usage when
/// known, and ts = `now_ms`.
void apply_title(nlohmann::json& job, const TitleResult& result, int64_t now_ms);

/// A progress event of `job` from m2g-llm (step "title" or "titled").
nlohmann::json progress_event(const nlohmann::json& job, std::string_view step, int pct, std::string_view text);

} // namespace m2g::llm
