#pragma once
// m2g-commit's options and its wiring: which backend, where tokens come from, which
// preparers (photos, issues) a job passes through. The binary's main only calls these two.

#include "common/commit/committer.hpp"
#include "common/stage/io.hpp"

#include <CLI/CLI.hpp>
#include <string>

namespace m2g::commit {

struct AppOptions {
  stage::IoOptions io;
  CommitterOptions committer;
  std::string backend = "git";
  std::string workdir = "m2g-clones";
  std::string author = "m2g <m2g@localhost>";
  std::string token_file;
  std::string batch_window = "200ms";
  std::string batch_max_wait = "3s";
  size_t threads = 4;
  std::string github_api = "https://api.github.com";
  double github_writes_per_minute = 80;
  std::string telegram_api = "https://api.telegram.org";
  std::string telegram_token_file;
  double photo_limit_mb = 20;
  std::string settings_db;
  std::string key_file;
  std::string http_client = "auto"; ///< --http-client: auto, curl or plain
  // Git network deadlines, the chats' own pool and limits (common/commit/git_backend.hpp).
  std::string git_connect_timeout = "15s";
  std::string git_idle_timeout = "60s";
  std::string git_timeout = "10min";
  size_t chat_threads = 2;
  double chat_repo_limit_mb = 256;
  std::string chat_clone_idle = "168h";
  bool allow_private_repos = false;
  std::string allowed_hosts;
  /// After SIGTERM, how long batches may still run before their network operations are cut
  /// and their jobs left for the next run.
  std::string drain_timeout = "30s";
};

/// Add every option of m2g-commit to `app`, bound to `options` (and to the environment).
void add_options(CLI::App& app, AppOptions& options);

/// Run the stage until its input ends or a signal drains it; returns the exit code.
int run(AppOptions& options);

} // namespace m2g::commit
