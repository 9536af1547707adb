#pragma once
// One benchmark run, end to end: the fakes (Telegram, and the LLM and GitHub when this
// m2g-bench has them) as child processes, the real stages composed as m2g-bot composes them
// (common/bench/pipeline.hpp), the scenario's messages injected through the fake Telegram's
// control API, and the driver waiting until every message is committed and every final ✅
// has reached the fake Telegram, sampling each stage's peak memory meanwhile.

#include "common/bench/report.hpp"
#include "common/bench/scenario.hpp"
#include "common/core/clock.hpp"
#include "common/core/error.hpp"

#include <string>

namespace m2g::bench {

struct RunOptions {
  std::string work_dir;         ///< data, logs and the notebook; "" makes (and removes) a temporary one
  bool keep = false;            ///< keep the work directory (always kept when the run fails)
  bool progress_bar = false;    ///< live bar on stderr
  double timeout_s = 0;         ///< until every result; 0: derived from the ideal time
  double confirm_timeout_s = 0; ///< then until every ✅; 0: derived from the ideal confirm time
  std::string stage_log_level = "warn";
};

/// Run `scenario` once. Fails (with the exit code to use) when a binary is missing or a
/// process cannot start; a run that ends with messages missing is a result, not a failure.
Result<RunFigures> run_scenario(const Scenario& scenario, const RunOptions& options);

/// The binaries a scenario needs that are neither next to m2g-bench nor on PATH.
std::vector<std::string> missing_binaries(const Scenario& scenario);

} // namespace m2g::bench
