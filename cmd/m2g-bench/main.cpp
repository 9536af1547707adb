// m2g-bench: the benchmark driver and the fake Telegram / LLM / GitHub servers (man/m2g-bench.1).
#include "common/bench/command.hpp"
#include "common/cli/app.hpp"
#include "common/fake/registry.hpp"

int main(int argc, char** argv) {
  m2g::fake::FakeMain fake_main;
  m2g::bench::CommandOptions bench;
  auto define = [&](CLI::App& app) {
    app.require_subcommand(0, 1);
    m2g::bench::add_command_options(app, bench);
    auto* fake = app.add_subcommand("fake", "Run one fake server (for tests, demos and benchmarks)");
    fake->require_subcommand(1);
    m2g::fake::register_fakes(*fake, fake_main);
  };
  auto run = [&](CLI::App&) { return fake_main ? fake_main() : m2g::bench::run_command(bench); };
  return m2g::cli::main_wrapper(argc, argv, "m2g-bench: benchmarks of the whole m2g pipeline, and fake servers", define,
                                run);
}
