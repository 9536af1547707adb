#include "common/crypto/libcrypto.hpp"

#include "common/core/exit_codes.hpp"
#include "common/core/shared_library.hpp"

#include <mutex>
#include <optional>
#include <string>

namespace m2g::crypto {

Result<Libcrypto> open_libcrypto(const char* file) {
  // OpenSSL initialises itself on first call.
  SymbolLoader loader(file);
  if (!loader.opened()) {
    return fail(exit_code::k_config,
                std::string("cannot load '") + file +
                    "', which sealing repository tokens and signing buttons need: " + loader.error());
  }
  Libcrypto library;
  loader.resolve(library.rand_bytes, "RAND_bytes");
  loader.resolve(library.aes_256_gcm, "EVP_aes_256_gcm");
  loader.resolve(library.ctx_new, "EVP_CIPHER_CTX_new");
  loader.resolve(library.ctx_free, "EVP_CIPHER_CTX_free");
  loader.resolve(library.ctx_ctrl, "EVP_CIPHER_CTX_ctrl");
  loader.resolve(library.encrypt_init, "EVP_EncryptInit_ex");
  loader.resolve(library.encrypt_update, "EVP_EncryptUpdate");
  loader.resolve(library.encrypt_final, "EVP_EncryptFinal_ex");
  loader.resolve(library.decrypt_init, "EVP_DecryptInit_ex");
  loader.resolve(library.decrypt_update, "EVP_DecryptUpdate");
  loader.resolve(library.decrypt_final, "EVP_DecryptFinal_ex");
  loader.resolve(library.encode_block, "EVP_EncodeBlock");
  loader.resolve(library.decode_block, "EVP_DecodeBlock");
  loader.resolve(library.sha256, "EVP_sha256");
  loader.resolve(library.hmac, "HMAC");
  if (std::string lacking = loader.finish(); !lacking.empty()) {
    return fail(exit_code::k_config, std::string("cannot load '") + file + "': " + lacking);
  }
  return library;
}

Result<const Libcrypto*> libcrypto() {
  static std::mutex mutex;
  static std::optional<Libcrypto> loaded;
  std::lock_guard lock(mutex);
  if (!loaded) {
    auto opened = open_libcrypto(k_libcrypto);
    if (!opened) {
      return opened.failure();
    }
    loaded = *opened;
  }
  return &*loaded;
}

} // namespace m2g::crypto
