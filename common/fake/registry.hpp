#pragma once
// The fake servers m2g-bench can run ("m2g-bench fake NAME ..."): each fake adds its own
// subcommand here, so the bench's main stays a list of calls.

#include <CLI/CLI.hpp>
#include <functional>

namespace m2g::fake {

/// A fake's entry point once its subcommand was parsed: returns the exit code.
using FakeMain = std::function<int()>;

/// Add every fake as a subcommand of `fake_command`; `chosen` receives the one to run.
void register_fakes(CLI::App& fake_command, FakeMain& chosen);

} // namespace m2g::fake
