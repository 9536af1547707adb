#pragma once
// A file that holds a secret (a bot or GitHub token, the LLM key, the instance key) must be
// readable by its owner only. A token file left 0644 hands the bot to every user of the
// machine, so a stage refuses to start with one instead of warning into a log nobody reads.

#include <optional>
#include <string>

namespace m2g {

/// What is wrong with the permissions of the secret file at `path` ("secret file 'x' is
/// readable by group or others (mode 0644); chmod 600 it"), or nullopt when only its owner
/// can read or write it. A file that cannot be stat()ed is left to the read that follows.
std::optional<std::string> secret_file_exposure(const std::string& path);

/// Throw m2g::Error (78, EX_CONFIG) when secret_file_exposure() finds a problem.
void require_private_secret_file(const std::string& path);

} // namespace m2g
