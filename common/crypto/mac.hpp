#pragma once
// HMAC-SHA256 for values the bot hands out and must recognise later (the callback data of
// its buttons), and per-purpose keys derived from the instance key. Telegram does not check
// that a click's data came from a keyboard the bot sent, so anything a button names (an
// issue to close, a TODO to tick) is signed, and a click whose signature does not verify
// changes nothing. One key file serves every purpose: derive_key() gives each purpose its own
// key, so a MAC made for one use is never valid for another and the sealing key itself never
// signs anything.

#include "common/core/error.hpp"
#include "common/crypto/key.hpp"

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace m2g::crypto {

/// An HMAC-SHA256 value.
using Mac = std::array<uint8_t, 32>;

/// HMAC-SHA256 of `message` under `key` (libcrypto is loaded on first use: fails 78 without it).
Result<Mac> hmac_sha256(const Key& key, std::string_view message);

/// The key for `purpose` (a fixed label such as "callback-data v1"): HMAC-SHA256(key, purpose).
Result<Key> derive_key(const Key& key, std::string_view purpose);

/// The first `bytes` bytes of `mac` in unpadded base64url (RFC 4648 §5: A-Z a-z 0-9 - _), the
/// alphabet Telegram's callback data and URLs carry without escaping.
std::string base64url(const Mac& mac, size_t bytes);

/// Whether `a` and `b` are equal, in time that depends only on their lengths (a forger learns
/// nothing from how long a refusal took).
bool constant_time_equal(std::string_view a, std::string_view b);

} // namespace m2g::crypto
