#pragma once
// Diagnostics on stderr, one line per event: "m2g-<tool>: <level>: <message>". stdout carries
// data only. Every registered secret is scrubbed from every line before it is written.

#include <string>
#include <string_view>

namespace m2g::log {

enum class Level { error = 0, warn = 1, info = 2, debug = 3 };

/// The program name that prefixes every line (argv[0]'s basename).
void set_program(std::string name);
const std::string& program();

void set_level(Level level);
Level level();
/// Parse "error|warn|info|debug"; false when the name is unknown.
bool parse_level(std::string_view name, Level& out);
bool enabled(Level level);

/// Remember a secret so that no log line, error message or redacted string ever shows it.
/// True when it was new (one already remembered, or shorter than 4 bytes, is not added).
bool add_secret(std::string secret);
/// Forget a secret added before (secret.hpp's capped set of chats' secrets evicts with it).
void remove_secret(std::string_view secret);
/// `text` with every registered secret replaced by "***".
std::string redact(std::string text);

/// Write one line (secrets scrubbed, newlines folded) in a single write(2) to stderr.
void write(Level level, std::string_view message);

inline void error(std::string_view message) {
  write(Level::error, message);
}
inline void warn(std::string_view message) {
  write(Level::warn, message);
}
inline void info(std::string_view message) {
  write(Level::info, message);
}
inline void debug(std::string_view message) {
  write(Level::debug, message);
}

} // namespace m2g::log
