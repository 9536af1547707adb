#include "common/crypto/libcrypto.hpp"

#include "common/core/exit_codes.hpp"

#include <dlfcn.h>
#include <mutex>
#include <optional>
#include <string>
#include <type_traits>

namespace m2g::crypto {

Result<Libcrypto> open_libcrypto(const char* file) {
  // RTLD_LOCAL: its symbols serve this table only. OpenSSL initialises itself on first call.
  void* handle = ::dlopen(file, RTLD_NOW | RTLD_LOCAL);
  if (handle == nullptr) {
    return fail(exit_code::k_config,
                std::string("cannot load '") + file + "', which sealing repository tokens needs: " + ::dlerror());
  }
  Libcrypto library;
  std::string missing;
  auto resolve = [&](auto& function, const char* name) {
    function = reinterpret_cast<std::remove_reference_t<decltype(function)>>(::dlsym(handle, name));
    if (function == nullptr) {
      missing += missing.empty() ? name : std::string(", ") + name;
    }
  };
  resolve(library.rand_bytes, "RAND_bytes");
  resolve(library.aes_256_gcm, "EVP_aes_256_gcm");
  resolve(library.ctx_new, "EVP_CIPHER_CTX_new");
  resolve(library.ctx_free, "EVP_CIPHER_CTX_free");
  resolve(library.ctx_ctrl, "EVP_CIPHER_CTX_ctrl");
  resolve(library.encrypt_init, "EVP_EncryptInit_ex");
  resolve(library.encrypt_update, "EVP_EncryptUpdate");
  resolve(library.encrypt_final, "EVP_EncryptFinal_ex");
  resolve(library.decrypt_init, "EVP_DecryptInit_ex");
  resolve(library.decrypt_update, "EVP_DecryptUpdate");
  resolve(library.decrypt_final, "EVP_DecryptFinal_ex");
  resolve(library.encode_block, "EVP_EncodeBlock");
  resolve(library.decode_block, "EVP_DecodeBlock");
  if (!missing.empty()) {
    ::dlclose(handle);
    return fail(exit_code::k_config, std::string("cannot load '") + file + "': it lacks " + missing);
  }
  // The handle stays open for the life of the process.
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
