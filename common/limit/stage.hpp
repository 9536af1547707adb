#pragma once
// m2g-limit as a pipeline stage: the glue between the stage runtime (common/stage), the limiter,
// the wait scheduler, the tiers file and the loop's timers and signals.

#include "common/limit/limiter.hpp"
#include "common/stage/io.hpp"

#include <string>
#include <vector>

namespace m2g::limit {

/// wait: hold lines over a limit until they may go. drop: answer them with a rejection line.
enum class Mode { wait, drop };

struct StageOptions {
  LimitConfig limits;
  std::string key = "user_id"; ///< dotted path of the key field
  Mode mode = Mode::wait;
  std::vector<std::string> kinds{"job", "update"}; ///< kinds subject to limiting
  size_t max_held = 100'000;                       ///< wait mode: stop reading input past this many held lines
  std::string tiers_path;                          ///< --tiers FILE, empty for none
};

/// The kind names --kinds accepts.
std::vector<std::string> limitable_kinds();

/// Run the stage until its input ends (or SIGTERM/SIGINT) and everything held has left.
/// Returns the exit code; throws m2g::Error for a fatal setup problem (a bad tiers file: 78).
int run(const StageOptions& options, const stage::IoOptions& io_options);

} // namespace m2g::limit
