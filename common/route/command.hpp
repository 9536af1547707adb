#pragma once
// Bot commands as people type them: "/todo", "/TODO 5", "/todo@MyBot   5", with any spacing.
// The reference bot matched the whole trimmed text exactly, so all of these but the first
// were "unknown command".

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace m2g::route {

struct Command {
  std::string name;               ///< lowercase, without "/" and without the bot name
  std::string mention;            ///< the "@BotName" part without "@", as typed; empty when absent
  std::string args;               ///< everything after the command, trimmed (inner text as typed)
  size_t args_offset = 0;         ///< byte offset of `args` in the parsed text
  std::vector<std::string> words; ///< args split on whitespace
};

/// Parse a command at the start of `text` (leading whitespace allowed): "/" then 1-32 of
/// [A-Za-z0-9_], an optional "@name", then whitespace or the end. "/usr/bin" or "/ hello" are
/// not commands.
std::optional<Command> parse_command(std::string_view text);

/// True when a command addressed "@mention" is for this bot (`bot_username` empty: any).
bool addressed_to(const Command& command, std::string_view bot_username);

} // namespace m2g::route
