#pragma once
// Secrets (bot token, GitHub token, LLM key) come from an environment variable or a file,
// never from argv. Whatever is read is registered with the logger so it is scrubbed from every
// message the process prints.
//
// Chats send secrets too (/repo URL TOKEN). Those words are chosen by strangers, so only what
// looks like a token is registered, each once, and the set is capped: a chat that sends words
// by the thousand cannot grow the logger's list (and the cost of every log line) without end.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace m2g {

/// The secret from `file` if given (surrounding whitespace trimmed; a missing or unreadable
/// file is a fatal error 66, one readable by group or others 78), else from the environment
/// variable `env_name`, else nullopt. Makes the process undumpable first (private_process.hpp).
std::optional<std::string> read_secret(const char* env_name, const std::string& file);

/// Whether `word` looks like an access token: a known token prefix (ghp_, gho_, ghu_, ghs_,
/// ghr_, github_pat_, glpat-) with at least 16 more characters, or at least 20 characters of
/// the token alphabet (A-Z a-z 0-9 - _ . ~ + / =); at most 256.
bool looks_like_token(std::string_view word);

/// Chats' secrets kept registered at once; beyond this the oldest is forgotten.
inline constexpr size_t k_max_chat_secrets = 256;

/// Register a secret a chat sent, if looks_like_token(): once however often it is sent, at
/// most k_max_chat_secrets of them (the oldest forgotten first). True when newly registered.
bool add_chat_secret(std::string_view word);

/// Read a whole small file; throws m2g::Error (66) if it cannot.
std::string read_file(const std::string& path);

} // namespace m2g
