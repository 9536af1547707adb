#include "common/fake/registry.hpp"

#include "common/fake/github/server.hpp"
#include "common/fake/llm/command.hpp"
#include "common/fake/telegram/command.hpp"

namespace m2g::fake {

void register_fakes(CLI::App& fake_command, FakeMain& chosen) {
  // One line per fake: add_<name>_command(fake_command, chosen);
  github::add_github_command(fake_command, chosen);
  telegram::add_telegram_command(fake_command, chosen);
  llm::add_llm_command(fake_command, chosen);
}

} // namespace m2g::fake
