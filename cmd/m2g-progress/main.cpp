// m2g-progress: the only stage that talks back to Telegram (man/m2g-progress.1). It passes every
// line on at once, makes the action lines' Bot API calls, and shows each job's progress as one
// status message edited in place; the logic lives in common/progress/.
#include "common/cli/app.hpp"
#include "common/progress/stage.hpp"

int main(int argc, char** argv) {
  m2g::progress::StageOptions options;
  auto define = [&](CLI::App& app) { m2g::progress::add_options(app, options); };
  auto run = [&](CLI::App&) { return m2g::progress::run(options); };
  return m2g::cli::main_wrapper(argc, argv, "m2g-progress: show replies and job progress in Telegram", define, run);
}
