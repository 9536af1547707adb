#include "common/bench/pipeline.hpp"

#include <cstdio>

namespace m2g::bench {
namespace {

std::string number(double value) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.10g", value);
  return buf;
}

} // namespace

std::vector<std::string> stage_names(bool progress) {
  std::vector<std::string> names = {"m2g-poll", "m2g-route", "m2g-limit", "m2g-llm", "m2g-commit"};
  if (progress) {
    names.push_back("m2g-progress");
  }
  return names;
}

std::vector<StageCommand> build_pipeline(const PipelineConfig& config) {
  const std::string& data = config.data_dir;
  const std::string updates = data + "/updates.db";
  const std::string u = "sqlite:" + updates;
  const std::string q = "sqlite:" + data + "/queue.db";
  // The last stage writes to the driver; every other output is a queue topic.
  std::string commit_out = config.progress ? q + "#chat" : "-";
  std::vector<StageCommand> stages = {
      {"m2g-poll", {"--state", updates, "--out", u + "#updates"}},
      {"m2g-route", {"--db", data + "/settings.db", "--in", u + "#updates", "--out", q + "#routed"}},
      {"m2g-limit", {"--in", q + "#routed", "--out", q + "#admitted"}},
      {"m2g-llm", {"--in", q + "#admitted", "--out", q + "#commit"}},
      {"m2g-commit",
       {"--workdir", data + "/clones", "--settings-db", data + "/settings.db", "--in", q + "#commit", "--out",
        commit_out},
       !config.progress},
  };
  if (config.progress) {
    stages.push_back({"m2g-progress", {"--in", q + "#chat", "--out", "-"}, true});
  }
  return stages;
}

std::vector<std::string> pipeline_env(const PipelineConfig& config) {
  std::vector<std::string> env = {
      "M2G_DATA_DIR=" + config.data_dir,
      "M2G_TELEGRAM_TOKEN=" + config.telegram_token,
      "M2G_TELEGRAM_API_URL=" + config.telegram_url,
      "M2G_ALLOWED_CHATS=" + config.allowed_chats,
      "M2G_REPO=" + config.repo,
      // The scenario's limits, through the stages' own variables.
      "M2G_LIMIT_RATE=" + number(config.limit_rate),
      "M2G_LIMIT_BURST=" + number(config.limit_burst),
      "M2G_LIMIT_PER_KEY_RATE=" + number(config.user_rate),
      "M2G_LIMIT_PER_KEY_BURST=" + number(config.user_burst),
      "M2G_PROGRESS_GLOBAL_RATE=" + number(config.telegram_rate),
      // A line held by a limit or waiting for a slow title must not come back as a second
      // delivery while it is still being worked on.
      "M2G_LIMIT_IN_LEASE=3600",
      "M2G_LLM_IN_LEASE=3600",
      "M2G_COMMIT_IN_LEASE=3600",
      "M2G_COMMIT_BATCH_MAX=" + std::to_string(config.commit_batch_max),
  };
  if (!config.llm_url.empty()) {
    // As m2g-bot: an LLM endpoint also turns /llm on by default in m2g-route.
    env.insert(env.end(),
               {"M2G_LLM_BASE_URL=" + config.llm_url, "M2G_LLM_MODEL=" + config.llm_model,
                "M2G_LLM_API_KEY=" + config.llm_key, "M2G_ROUTE_LLM_CONFIGURED=1", "M2G_LLM_MAX_INFLIGHT=10000"});
  }
  if (!config.github_url.empty()) {
    env.insert(env.end(), {"M2G_COMMIT_BACKEND=github", "M2G_GITHUB_API_URL=" + config.github_url,
                           "M2G_GITHUB_TOKEN=" + config.github_token});
  }
  if (!config.key_file.empty()) {
    env.push_back("M2G_KEY_FILE=" + config.key_file);
  }
  if (config.writes_per_minute > 0) {
    env.push_back("M2G_COMMIT_GITHUB_WRITES_PER_MINUTE=" + number(config.writes_per_minute));
  }
  return env;
}

std::string show_command(const StageCommand& stage) {
  std::string out = stage.name;
  for (const auto& arg : stage.args) {
    bool plain = !arg.empty() && arg.find_first_of(" \t'\"#$&;|<>*?") == std::string::npos;
    out += " " + (plain ? arg : "'" + arg + "'");
  }
  return out;
}

} // namespace m2g::bench
