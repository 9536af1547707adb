#include "common/crypto/mac.hpp"

#include "common/core/exit_codes.hpp"
#include "common/crypto/libcrypto.hpp"

#include <algorithm>

namespace m2g::crypto {

Result<Mac> hmac_sha256(const Key& key, std::string_view message) {
  auto loaded = libcrypto();
  if (!loaded) {
    return loaded.failure();
  }
  const Libcrypto& lib = **loaded;
  Mac out{};
  unsigned int length = 0;
  if (lib.hmac(lib.sha256(), key.data(), static_cast<int>(Key::k_size),
               reinterpret_cast<const unsigned char*>(message.data()), message.size(), out.data(),
               &length) == nullptr ||
      length != out.size()) {
    return fail(exit_code::k_software, "cannot compute an HMAC-SHA256");
  }
  return out;
}

Result<Key> derive_key(const Key& key, std::string_view purpose) {
  auto mac = hmac_sha256(key, purpose);
  if (!mac) {
    return mac.failure();
  }
  auto derived = Key::from_bytes(std::string_view(reinterpret_cast<const char*>(mac->data()), mac->size()));
  ::explicit_bzero(mac->data(), mac->size());
  return derived;
}

std::string base64url(const Mac& mac, size_t bytes) {
  static constexpr char k_alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  bytes = std::min(bytes, mac.size());
  std::string out;
  out.reserve((bytes * 4 + 2) / 3);
  uint32_t buffer = 0;
  int bits = 0;
  for (size_t i = 0; i < bytes; ++i) {
    buffer = (buffer << 8) | mac[i];
    bits += 8;
    while (bits >= 6) {
      bits -= 6;
      out += k_alphabet[(buffer >> bits) & 0x3f];
    }
  }
  if (bits > 0) {
    out += k_alphabet[(buffer << (6 - bits)) & 0x3f];
  }
  return out;
}

bool constant_time_equal(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) {
    return false;
  }
  unsigned char difference = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    difference |= static_cast<unsigned char>(a[i] ^ b[i]);
  }
  return difference == 0;
}

} // namespace m2g::crypto
