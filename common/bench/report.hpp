#pragma once
// What one benchmark run measured, and how it is shown: a table in the reference report's
// style (each figure says whether it is end-to-end), or one JSON object per run.

#include "common/bench/ideal.hpp"
#include "common/bench/latency.hpp"
#include "common/bench/scenario.hpp"

#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace m2g::bench {

/// One stage process: its peak resident memory, its CPU time and how it ended.
struct StageFigures {
  std::string name;       ///< "m2g-poll", ...
  double peak_rss_mb = 0; ///< VmHWM, the last sample before SIGTERM, MiB
  int exit_code = 0;
  double cpu_s = 0; ///< user + system, start to exit (confirmations included)
};

struct RunFigures {
  Scenario scenario;
  size_t injected = 0;           ///< messages the people sent (updates injected into the fake)
  size_t succeeded = 0;          ///< messages whose result line came out of the pipeline
  size_t failed = 0;             ///< messages that got an error line
  size_t confirmed = 0;          ///< messages whose ✅ the fake Telegram showed
  size_t llm_calls = 0;          ///< requests the fake LLM answered
  size_t commits = 0;            ///< commits the pushes brought to the fake GitHub
  size_t pushes = 0;             ///< branch updates the fake GitHub accepted
  size_t telegram_calls = 0;     ///< Bot API calls the bot made (sends, edits, answers)
  size_t telegram_429 = 0;       ///< of them refused with 429 (the bot's rate limit)
  double total_s = 0;            ///< first update injected → last result out of the pipeline
  double confirm_s = 0;          ///< first update injected → last ✅ shown by the fake Telegram
  bool confirm_complete = false; ///< every message was confirmed before the driver stopped waiting
  LatencyRecorder end_to_end;    ///< per message: update injected → result pushed
  LatencyRecorder confirm;       ///< per message: update injected → ✅ shown
  std::vector<StageFigures> stages;
  Ideal ideal;
  double load_before = 0; ///< 1-minute load average when the run started
  double load_after = 0;
  std::vector<std::string> notes;

  double success_pct() const;
  double messages_per_s() const;
  double efficiency() const; ///< ideal.total_s / total_s
  double peak_rss_sum_mb() const;
};

/// The table, as printed without --json.
std::string format_table(const RunFigures& run);
/// One JSON object with messages, total_s, success_pct, ideal_s, efficiency, commits,
/// peak_rss_mb (summed over stages), confirm_s and the rest.
nlohmann::json to_json(const RunFigures& run);

/// 12345 → "12,345"; 1234.5 with `decimals` 1 → "1,234.5".
std::string group_digits(double value, int decimals = 0);

} // namespace m2g::bench
