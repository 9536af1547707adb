#pragma once
// "m2g-bench fake telegram": the fake Telegram Bot API as a subcommand of m2g-bench.

#include "common/fake/registry.hpp"

namespace m2g::fake::telegram {

/// Add the "telegram" subcommand (its options, and its entry point into `chosen`).
void add_telegram_command(CLI::App& fake_command, FakeMain& chosen);

} // namespace m2g::fake::telegram
