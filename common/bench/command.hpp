#pragma once
// `m2g-bench SCENARIO`: the scenario mode's options and its body (every run of the named
// family, each reported as a table or one JSON line, the plot written when asked).

#include <CLI/CLI.hpp>
#include <optional>
#include <string>

namespace m2g::bench {

struct CommandOptions {
  std::string scenario;
  bool json = false;
  bool list = false;
  std::string plot; ///< FILE.svg ("" : none); with several runs, FILE-1.svg, FILE-2.svg, ...
  std::optional<size_t> messages;
  std::optional<size_t> users;
  std::optional<double> telegram_rate;
  std::string work_dir;
  bool keep = false;
  std::string bar = "auto"; ///< the progress bar: auto (when stderr is a terminal), always, never
  std::string timeout = "0";
  std::string confirm_timeout = "0";
  std::string stage_log_level = "warn"; ///< M2G_LOG_LEVEL of the stages (their logs: DIR/logs)
};

/// Add the scenario mode's positional argument and options to `app`.
void add_command_options(CLI::App& app, CommandOptions& options);

/// Run it; the exit code (0: every message committed and confirmed; 1: some were not).
int run_command(const CommandOptions& options);

} // namespace m2g::bench
