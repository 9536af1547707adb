#pragma once
// AES-256-GCM sealing of small secrets (repository tokens) for storage at rest. A sealed value
// is text: "m2g1:" + base64(nonce[12] ‖ ciphertext ‖ tag[16]), with a fresh random nonce per
// seal. The associated data binds a sealed value to where it belongs (e.g. one chat's row), so
// a value copied to another row fails to open.

#include "common/core/error.hpp"
#include "common/crypto/key.hpp"

#include <string>
#include <string_view>

namespace m2g::crypto {

/// The prefix of every sealed value; it names the format so it can change later.
inline constexpr std::string_view k_sealed_prefix = "m2g1:";

/// Encrypt and authenticate `plaintext` under `key`, bound to `associated`.
Result<std::string> seal(const Key& key, std::string_view plaintext, std::string_view associated);

/// Check and decrypt a value made by seal() with the same key and associated data. Fails (65)
/// when it was altered, sealed under another key, or bound to other associated data.
Result<std::string> open(const Key& key, std::string_view sealed, std::string_view associated);

} // namespace m2g::crypto
