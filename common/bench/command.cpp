#include "common/bench/command.hpp"

#include "common/bench/runner.hpp"
#include "common/bench/svg.hpp"
#include "common/cli/app.hpp"
#include "common/core/exit_codes.hpp"
#include "common/core/log.hpp"

#include <cstdio>
#include <fstream>
#include <iostream>
#include <unistd.h>

namespace m2g::bench {
namespace {

std::string scenario_names() {
  std::string out;
  for (const auto& family : families()) {
    out += (out.empty() ? "" : ", ") + family.name;
  }
  return out;
}

std::string plot_path(const std::string& plot, size_t index, size_t runs) {
  if (runs <= 1) {
    return plot;
  }
  auto dot = plot.rfind(".svg");
  std::string stem = dot == std::string::npos ? plot : plot.substr(0, dot);
  return stem + "-" + std::to_string(index + 1) + ".svg";
}

} // namespace

void add_command_options(CLI::App& app, CommandOptions& options) {
  app.add_option("scenario", options.scenario, "The scenario to run: " + scenario_names());
  app.add_flag("--list", options.list, "List the scenarios and exit");
  app.add_flag("--json", options.json, "One JSON object per run on stdout instead of the table")
      ->envname("M2G_BENCH_JSON");
  app.add_option("--plot", options.plot, "Draw the end-to-end latency distribution into FILE.svg")
      ->envname("M2G_BENCH_PLOT");
  app.add_option("--messages", options.messages, "Messages per run instead of the scenario's")
      ->envname("M2G_BENCH_MESSAGES")
      ->check(CLI::Range(size_t{1}, size_t{1'000'000}));
  app.add_option("--users", options.users, "Users (chats) instead of the scenario's, at most 16,000")
      ->envname("M2G_BENCH_USERS")
      ->check(CLI::Range(size_t{1}, size_t{16'000}));
  app.add_option("--telegram-rate", options.telegram_rate,
                 "The bot's Telegram sends per second (default 30, the free tier; 1000: paid broadcasts)")
      ->envname("M2G_BENCH_TELEGRAM_RATE")
      ->check(CLI::PositiveNumber);
  app.add_option("--work-dir", options.work_dir, "Keep data, logs and the notebook in DIR (default: a temporary one)")
      ->envname("M2G_BENCH_WORK_DIR");
  app.add_flag("--keep", options.keep, "Keep the temporary work directory")->envname("M2G_BENCH_KEEP");
  app.add_option("--bar", options.bar, "The live progress bar on stderr: auto, always or never")
      ->envname("M2G_BENCH_BAR")
      ->check(CLI::IsMember({"auto", "always", "never"}));
  app.add_option("--timeout", options.timeout,
                 "Give up waiting for results after DURATION (default: 10 x the ideal time, at least 300s)")
      ->envname("M2G_BENCH_TIMEOUT")
      ->check(cli::duration_validator());
  app.add_option("--confirm-timeout", options.confirm_timeout,
                 "Then give up waiting for confirmations after DURATION (default: 3 x the ideal, at least 120s)")
      ->envname("M2G_BENCH_CONFIRM_TIMEOUT")
      ->check(cli::duration_validator());
  app.add_option("--stage-log-level", options.stage_log_level,
                 "The stages' --log-level, into their logs in the work directory (default warn)")
      ->envname("M2G_BENCH_STAGE_LOG_LEVEL")
      ->check(CLI::IsMember({"error", "warn", "info", "debug"}));
}

int run_command(const CommandOptions& options) {
  if (options.list) {
    for (const auto& family : families()) {
      std::cout << family.name << "\t" << family.summary << "\n";
    }
    return exit_code::k_ok;
  }
  if (options.scenario.empty()) {
    log::error("name a scenario (" + scenario_names() + ") or a fake (m2g-bench fake --help)");
    return exit_code::k_usage;
  }
  auto family = find_family(options.scenario, {options.messages, options.users, options.telegram_rate});
  if (!family) {
    log::error("unknown scenario '" + options.scenario + "' (known: " + scenario_names() + ")");
    return exit_code::k_usage;
  }
  RunOptions run_options;
  run_options.work_dir = options.work_dir;
  run_options.keep = options.keep;
  run_options.stage_log_level = options.stage_log_level;
  run_options.progress_bar = options.bar == "always" || (options.bar == "auto" && ::isatty(STDERR_FILENO) == 1);
  bool all_ok = true;
  for (size_t i = 0; i < family->runs.size(); ++i) {
    const Scenario& scenario = family->runs[i];
    Ideal ideal = ideal_times(scenario.ideal_inputs(1000, 4));
    run_options.timeout_s = static_cast<double>(cli::parse_duration_ms(options.timeout)) / 1000.0;
    if (run_options.timeout_s <= 0) {
      run_options.timeout_s = std::max(300.0, 10 * ideal.total_s);
    }
    run_options.confirm_timeout_s = static_cast<double>(cli::parse_duration_ms(options.confirm_timeout)) / 1000.0;
    if (run_options.confirm_timeout_s <= 0) {
      run_options.confirm_timeout_s = std::max(120.0, 3 * ideal.confirm_s);
    }
    if (!options.json) {
      log::info("running " + scenario.title() + ": " + std::to_string(scenario.messages) + " messages from " +
                std::to_string(scenario.users) + " users");
    }
    auto figures = run_scenario(scenario, run_options);
    if (!figures) {
      log::error(figures.error());
      return figures.failure().exit_code;
    }
    if (options.json) {
      std::cout << to_json(*figures).dump() << std::endl;
    } else {
      std::cout << format_table(*figures) << std::endl;
    }
    if (!options.plot.empty()) {
      std::string path = plot_path(options.plot, i, family->runs.size());
      std::ofstream file(path);
      file << latency_svg(figures->end_to_end, "m2g-bench " + scenario.title() + ": end-to-end latency");
      if (!file) {
        log::error("cannot write " + path);
        return exit_code::k_cantcreat;
      }
    }
    all_ok = all_ok && figures->success_pct() >= 100 && (figures->confirm_complete || !scenario.progress);
  }
  return all_ok ? exit_code::k_ok : exit_code::k_rejected;
}

} // namespace m2g::bench
