#include "common/llm/job.hpp"

#include "common/jsonl/line.hpp"
#include "common/llm/fallback.hpp"
#include "common/llm/text.hpp"

namespace m2g::llm {
namespace {

using json = nlohmann::json;

std::string string_field(const json& object, const char* name) {
  auto it = object.find(name);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

} // namespace

JobPlan plan_job(const json& job) {
  JobPlan plan;
  std::string op = string_field(job, "op");
  if (op != "add" && op != "issue") {
    return plan;
  }
  if (!trim(string_field(job, "title")).empty()) {
    return plan; // the person's own title stands
  }
  plan.owned = true;
  plan.text = text_to_title(job);
  auto photo = job.find("photo");
  bool is_photo = photo != job.end() && photo->is_object();
  plan.fallback = fallback_title(plan.text, is_photo ? "Photo" : "Untitled");
  auto llm = job.find("llm");
  plan.ask_model = llm != job.end() && llm->is_boolean() && llm->get<bool>() && !trim(plan.text).empty();
  return plan;
}

std::string text_to_title(const json& job) {
  if (auto photo = job.find("photo"); photo != job.end() && photo->is_object()) {
    std::string caption = string_field(*photo, "caption");
    if (!trim(caption).empty()) {
      return caption;
    }
  }
  return string_field(job, "text");
}

void apply_title(json& job, const TitleResult& result, int64_t now_ms) {
  job["title"] = result.title;
  job["hashtags"] = result.hashtags;
  job["title_source"] = result.from_model ? "llm" : "fallback";
  if (result.usage) {
    job["usage"] = {{"prompt_tokens", result.usage->prompt_tokens},
                    {"completion_tokens", result.usage->completion_tokens}};
  }
  job["ts"] = now_ms;
}

json progress_event(const json& job, std::string_view step, int pct, std::string_view text) {
  json event = jsonl::derive(job, jsonl::Kind::progress);
  event["stage"] = "m2g-llm";
  event["step"] = step;
  event["pct"] = pct;
  event["text"] = text;
  return event;
}

} // namespace m2g::llm
