#pragma once
// Secrets (bot token, GitHub token, LLM key) come from an environment variable or a file,
// never from argv. Whatever is read is registered with the logger so it is scrubbed from every
// message the process prints.

#include <optional>
#include <string>

namespace m2g {

/// The secret from `file` if given (surrounding whitespace trimmed; a missing or unreadable
/// file is a fatal error 66, one readable by group or others 78), else from the environment
/// variable `env_name`, else nullopt. Makes the process undumpable first (private_process.hpp).
std::optional<std::string> read_secret(const char* env_name, const std::string& file);

/// Read a whole small file; throws m2g::Error (66) if it cannot.
std::string read_file(const std::string& path);

} // namespace m2g
