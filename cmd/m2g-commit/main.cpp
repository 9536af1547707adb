// m2g-commit: jobs into git, many jobs per commit (man/m2g-commit.1).
#include "common/cli/app.hpp"
#include "common/commit/app.hpp"

int main(int argc, char** argv) {
  m2g::commit::AppOptions options;
  return m2g::cli::main_wrapper(
      argc, argv, "m2g-commit: file jobs into a git repository, many per commit",
      [&](CLI::App& app) { m2g::commit::add_options(app, options); },
      [&](CLI::App&) { return m2g::commit::run(options); });
}
