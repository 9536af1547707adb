#include "common/fake/registry.hpp"

namespace m2g::fake {

void register_fakes(CLI::App& fake_command, FakeMain& chosen) {
  // One line per fake: add_<name>_command(fake_command, chosen);
  (void)fake_command;
  (void)chosen;
}

} // namespace m2g::fake
