// libFuzzer harness for the notebook marker parsers: they read files in the repository,
// which anyone with push access (or the reference bot, or a hand edit) may have written.
// Offsets they return must point inside the content, at what they claim to.
#include "common/commit/markers.hpp"

#include <cstdint>
#include <cstdlib>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view content(reinterpret_cast<const char*>(data), size);
  (void)m2g::commit::entry_keys(content);
  for (const auto& todo : m2g::commit::todo_lines(content)) {
    if (todo.box >= content.size() ||
        (content[todo.box] != ' ' && content[todo.box] != 'x' && content[todo.box] != 'X')) {
      std::abort();
    }
  }
  for (const auto& issue : m2g::commit::issue_lines(content)) {
    if (issue.emoji + 4 > content.size()) {
      std::abort();
    }
    auto emoji = content.substr(issue.emoji, 4);
    if (emoji != m2g::commit::k_open_emoji && emoji != m2g::commit::k_closed_emoji) {
      std::abort();
    }
  }
  return 0;
}
