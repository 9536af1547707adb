// m2g-bench: fake Telegram / LLM / GitHub servers and the benchmark driver (man/m2g-bench.1).
#include "common/cli/app.hpp"
#include "common/fake/registry.hpp"

int main(int argc, char** argv) {
  m2g::fake::FakeMain fake_main;
  auto define = [&](CLI::App& app) {
    app.require_subcommand(1);
    auto* fake = app.add_subcommand("fake", "Run one fake server (for tests, demos and benchmarks)");
    fake->require_subcommand(1);
    m2g::fake::register_fakes(*fake, fake_main);
  };
  auto run = [&](CLI::App&) { return fake_main ? fake_main() : 64; };
  return m2g::cli::main_wrapper(argc, argv, "m2g-bench: fake servers and benchmarks for m2g", define, run);
}
