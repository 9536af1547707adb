#pragma once
// "m2g-bench fake llm": the fake LLM's subcommand, its options and its run.

#include "common/fake/registry.hpp"

namespace m2g::fake::llm {

/// Add "llm" to `fake_command`; when chosen, `chosen` runs the fake until SIGTERM.
void add_llm_command(CLI::App& fake_command, FakeMain& chosen);

} // namespace m2g::fake::llm
