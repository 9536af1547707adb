#include "common/route/button_mac.hpp"

#include "common/core/log.hpp"
#include "common/crypto/mac.hpp"

namespace m2g::route {
namespace {

// The purpose label of the derived key; a new format of button MACs gets a new label.
constexpr std::string_view k_purpose = "m2g callback-data v1";
constexpr size_t k_mac_bytes = 16;

} // namespace

Result<std::string> ButtonSigner::sign(std::string_view op, int64_t object, int64_t chat_id) const {
  auto key = crypto::derive_key(m_key, k_purpose);
  if (!key) {
    return key.failure();
  }
  // Decimal ids between fixed separators: no two (op, object, chat) give the same message.
  std::string message = std::string(op) + "\n" + std::to_string(object) + "\n" + std::to_string(chat_id);
  auto mac = crypto::hmac_sha256(*key, message);
  if (!mac) {
    return mac.failure();
  }
  return crypto::base64url(*mac, k_mac_bytes);
}

bool ButtonSigner::verify(std::string_view op, int64_t object, int64_t chat_id, std::string_view mac) const {
  auto expected = sign(op, object, chat_id);
  if (!expected) {
    log::error("cannot check a button: " + expected.error());
    return false;
  }
  return crypto::constant_time_equal(*expected, mac);
}

} // namespace m2g::route
