#pragma once
// The signature on buttons that name an object: "done" (tick TODO M) and "close" (close issue
// N), which m2g-commit puts on its /todo and /issue answers and m2g-route turns into jobs.
// Telegram delivers whatever callback data a modified client sends, so those buttons carry a
// MAC under a key derived from the instance key (crypto/instance_key.hpp), bound to the
// operation, the object and the chat the button was sent to. A button copied into another
// chat, an edited number or an invented button fails verify(), and the click changes nothing.
//
// The MAC is the first 16 bytes of HMAC-SHA256 in base64url (22 characters): with the
// longest ids "close:9223372036854775807:" + MAC is 48 bytes, within Telegram's 64. The chat
// id is not in the data (the click tells route which chat it came from), so a 14-digit
// negative supergroup id costs no space.

#include "common/core/error.hpp"
#include "common/crypto/key.hpp"

#include <cstdint>
#include <string>
#include <string_view>

namespace m2g::route {

/// Characters of a button MAC (16 bytes in unpadded base64url).
inline constexpr size_t k_button_mac_chars = 22;

class ButtonSigner {
public:
  /// Sign with keys derived from `instance_key`. libcrypto is loaded on first use, so a
  /// stage that never signs or checks a button never maps it.
  explicit ButtonSigner(const crypto::Key& instance_key) : m_key(instance_key) {}

  /// The MAC of `op` on `object` for a button sent to `chat_id`.
  Result<std::string> sign(std::string_view op, int64_t object, int64_t chat_id) const;
  /// Whether `mac` is sign(op, object, chat_id). False too when the MAC cannot be computed.
  bool verify(std::string_view op, int64_t object, int64_t chat_id, std::string_view mac) const;

private:
  crypto::Key m_key;
};

} // namespace m2g::route
