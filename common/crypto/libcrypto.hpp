#pragma once
// OpenSSL's libcrypto, loaded when a secret is first sealed or opened. Only chats that store a
// repository token (/repo URL TOKEN) ever need it, yet linked in, m2g-route maps and relocates
// all of it at start: 1.45 MB of resident pages in an idle process. So libcrypto is not linked:
// seal() and open() dlopen() libcrypto.so.3 (the ABI libssl-dev's headers describe) on first
// use and call it through this table. The rule on secrets does not move: without a key file
// nothing is sealed, so nothing is stored.

#include "common/core/error.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

namespace m2g::crypto {

/// The library loaded: OpenSSL 3's soname.
inline constexpr const char* k_libcrypto = "libcrypto.so.3";

/// The libcrypto functions seal(), open() and hmac_sha256() call. The types come from OpenSSL's headers.
struct Libcrypto {
  decltype(&::RAND_bytes) rand_bytes = nullptr;
  decltype(&::EVP_aes_256_gcm) aes_256_gcm = nullptr;
  decltype(&::EVP_CIPHER_CTX_new) ctx_new = nullptr;
  decltype(&::EVP_CIPHER_CTX_free) ctx_free = nullptr;
  decltype(&::EVP_CIPHER_CTX_ctrl) ctx_ctrl = nullptr;
  decltype(&::EVP_EncryptInit_ex) encrypt_init = nullptr;
  decltype(&::EVP_EncryptUpdate) encrypt_update = nullptr;
  decltype(&::EVP_EncryptFinal_ex) encrypt_final = nullptr;
  decltype(&::EVP_DecryptInit_ex) decrypt_init = nullptr;
  decltype(&::EVP_DecryptUpdate) decrypt_update = nullptr;
  decltype(&::EVP_DecryptFinal_ex) decrypt_final = nullptr;
  decltype(&::EVP_EncodeBlock) encode_block = nullptr;
  decltype(&::EVP_DecodeBlock) decode_block = nullptr;
  decltype(&::EVP_sha256) sha256 = nullptr; ///< mac.hpp: button MACs and key derivation
  decltype(&::HMAC) hmac = nullptr;
};

/// Open the shared library `file` and resolve every function of Libcrypto from it. Fails (78)
/// with a message that names the library and says why.
Result<Libcrypto> open_libcrypto(const char* file);

/// libcrypto, loaded on first use (once per process; a failed load is tried again next time).
Result<const Libcrypto*> libcrypto();

} // namespace m2g::crypto
