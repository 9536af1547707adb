#pragma once
// Telegram Update object → contract `update` line (man/m2g.7, "update"). A pure function of
// its input: no clock, no I/O, so it is unit-tested and fuzzed directly. It is lenient by
// design: only update_id is required; a field of an unexpected type is left out, and an update
// whose kind is unknown (or whose payload is not an object) is passed on as type "other" with
// the whole update in "raw", never dropped, so a new Telegram feature cannot wedge the poller.

#include "common/core/error.hpp"

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

namespace m2g::telegram {

using json = nlohmann::json;

/// A bot command at the start of a message: "/todo@MyBot  5" → {"todo", "MyBot", "5"}.
struct Command {
  std::string name; ///< lowercase, without '/' and without the bot name
  std::string bot;  ///< the "@BotName" suffix without '@', as written ("" if none)
  std::string args; ///< the rest of the text, surrounding whitespace trimmed
};

/// The command `text` starts with, if any. A command is '/' followed by 1–32 of [A-Za-z0-9_],
/// optionally "@name", then whitespace or the end of the text ("/ x", "/a-b" are not commands).
std::optional<Command> parse_command(std::string_view text);

struct NormalizeOptions {
  /// The bot's own user id (the digits before ':' in its token; 0 if unknown): reply_to.from_bot
  /// is true when the replied-to message is this bot's. Unknown: any bot's message counts.
  int64_t bot_id = 0;
};

/// Normalize one Update. `now_ms` becomes both "t0" and "ts". Fails (exit code 65) only when
/// `update` is not an object with an integer update_id.
Result<json> normalize_update(const json& update, int64_t now_ms, const NormalizeOptions& options = {});

/// The update_id of `update`, if it has an integer one.
std::optional<int64_t> update_id_of(const json& update);

/// The bot id in a token "123456:ABC..." (0 when the token has no numeric prefix). The bot id
/// is public (it is the bot's user id); the part after ':' is the secret.
int64_t bot_id_from_token(std::string_view token);

} // namespace m2g::telegram
