#pragma once
// The instance's key, from which every signing key is derived (crypto/mac.hpp). An operator
// who seals tokens already has a key file (--key-file, M2G_KEY_FILE): that key is used. A bot
// without one still signs its buttons: it keeps a key of its own in the data directory,
// created at first start (random, mode 0600) by whichever stage gets there first, so m2g-route
// and m2g-commit of one bot agree without any setting. Such a key never seals tokens: whether
// tokens are accepted stays the operator's explicit choice of a key file.

#include "common/core/error.hpp"
#include "common/crypto/key.hpp"

#include <optional>
#include <string>

namespace m2g::crypto {

/// The file name of the generated key inside the data directory.
inline constexpr const char* k_instance_key_name = "instance.key";

/// Load `path` (as load_key_file), or create it when it does not exist: 32 random bytes as 64
/// hex characters, mode 0600, published atomically so concurrent starts all read one key.
/// Fails 73 when it can be neither read nor created.
Result<Key> load_or_create_key_file(const std::string& path);

/// The instance key: `key_file` when given, else `<data_dir>/instance.key` (created if
/// missing) when `data_dir` is given, else nullopt.
Result<std::optional<Key>> instance_key(const std::string& key_file, const std::string& data_dir);

} // namespace m2g::crypto
