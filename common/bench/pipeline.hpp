#pragma once
// The stages of a benchmark run, with the same command lines and the same environment as
// `m2g-bot run` (cmd/m2g-bot/m2g-bot):
//
//   m2g-poll → [updates] → m2g-route → [routed] → m2g-limit → [admitted] → m2g-llm
//            → [commit] → m2g-commit → [chat] → m2g-progress → stdout (the driver)
//
// where [updates] is a topic of $M2G_DATA_DIR/updates.db and every other [topic] one of
// $M2G_DATA_DIR/queue.db (see m2g-bot for why). The one difference: the last
// stage's output goes to the driver (m2g-bot sends it to /dev/null), which timestamps each
// result line. Without progress, m2g-commit's output goes to the driver. Pure: builds argv
// and environment only; secrets go in the environment, never on a command line.

#include <string>
#include <vector>

namespace m2g::bench {

/// What the bot is configured with: the M2G_ variables m2g-bot reads, plus the scenario's
/// limits (which m2g-bot leaves to the stages' M2G_<STAGE>_<OPTION> variables).
struct PipelineConfig {
  std::string data_dir;     ///< M2G_DATA_DIR: updates.db, queue.db, settings.db, clones
  bool progress = true;     ///< m2g-progress in the pipeline
  std::string telegram_url; ///< M2G_TELEGRAM_API_URL: the fake Bot API
  std::string telegram_token;
  std::string allowed_chats; ///< M2G_ALLOWED_CHATS, comma-separated
  std::string llm_url;       ///< M2G_LLM_BASE_URL ("" : no LLM, fallback titles)
  std::string llm_model = "fake-model";
  std::string llm_key;
  std::string repo;       ///< M2G_REPO: a local bare repository, or OWNER/REPO on the fake GitHub
  std::string github_url; ///< the fake GitHub ("" : git backend on `repo`)
  std::string github_token;
  std::string key_file; ///< M2G_KEY_FILE: seals chats' tokens in settings.db (m2g-commit wants it)
  double limit_rate = 5000;
  double limit_burst = 5000;
  double user_rate = 30;
  double user_burst = 30;
  double telegram_rate = 30;    ///< m2g-progress --global-rate
  double writes_per_minute = 0; ///< m2g-commit --github-writes-per-minute (0: the default)
  /// M2G_COMMIT_BATCH_MAX: every job that is ready goes into the notebook's next commit (the
  /// runs share one notebook; m2g-bot's default of 1000 would serialize 10 commits).
  size_t commit_batch_max = 10000;
};

/// One stage: its program name (looked up next to m2g-bench or on PATH) and arguments.
struct StageCommand {
  std::string name;
  std::vector<std::string> args;
  bool writes_stdout = false; ///< its output is the driver's pipe
};

/// The stages in pipeline order, with m2g-bot's arguments.
std::vector<StageCommand> build_pipeline(const PipelineConfig& config);

/// "NAME=value" entries for every stage's environment, as m2g-bot exports them.
std::vector<std::string> pipeline_env(const PipelineConfig& config);

/// The stage names a pipeline needs, in order.
std::vector<std::string> stage_names(bool progress);

/// A shell-like rendering of a command for the log ("m2g-limit --in 'sqlite:...'").
std::string show_command(const StageCommand& stage);

} // namespace m2g::bench
