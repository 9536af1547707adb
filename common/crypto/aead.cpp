#include "common/crypto/aead.hpp"

#include "common/core/exit_codes.hpp"
#include "common/crypto/libcrypto.hpp"

#include <cstring>
#include <memory>
#include <vector>

namespace m2g::crypto {
namespace {

constexpr int k_nonce_size = 12;
constexpr int k_tag_size = 16;

struct CtxFree {
  const Libcrypto* lib;
  void operator()(EVP_CIPHER_CTX* ctx) const { lib->ctx_free(ctx); }
};
using Ctx = std::unique_ptr<EVP_CIPHER_CTX, CtxFree>;

Ctx new_ctx(const Libcrypto& lib) {
  return Ctx(lib.ctx_new(), CtxFree{&lib});
}

const unsigned char* bytes(std::string_view text) {
  return reinterpret_cast<const unsigned char*>(text.data());
}

std::string base64_encode(const Libcrypto& lib, const std::vector<unsigned char>& in) {
  std::string out(4 * ((in.size() + 2) / 3), '\0');
  int n = lib.encode_block(reinterpret_cast<unsigned char*>(out.data()), in.data(), static_cast<int>(in.size()));
  out.resize(static_cast<size_t>(n));
  return out;
}

bool base64_decode(const Libcrypto& lib, std::string_view in, std::vector<unsigned char>& out) {
  if (in.empty() || in.size() % 4 != 0) {
    return false;
  }
  out.assign(3 * in.size() / 4, 0);
  int n = lib.decode_block(out.data(), bytes(in), static_cast<int>(in.size()));
  if (n < 0) {
    return false;
  }
  // EVP_DecodeBlock counts the padding as zero bytes; drop them.
  size_t padding = in[in.size() - 1] == '=' ? (in[in.size() - 2] == '=' ? 2 : 1) : 0;
  out.resize(static_cast<size_t>(n) - padding);
  return true;
}

Failure crypto_failure(const char* what) {
  return fail(exit_code::k_software, std::string("cannot ") + what);
}

} // namespace

Result<std::string> seal(const Key& key, std::string_view plaintext, std::string_view associated) {
  auto loaded = libcrypto();
  if (!loaded) {
    return loaded.failure();
  }
  const Libcrypto& lib = **loaded;
  std::vector<unsigned char> out(k_nonce_size + plaintext.size() + k_tag_size);
  if (lib.rand_bytes(out.data(), k_nonce_size) != 1) {
    return crypto_failure("get random bytes for a nonce");
  }
  Ctx ctx = new_ctx(lib);
  int len = 0;
  if (!ctx || lib.encrypt_init(ctx.get(), lib.aes_256_gcm(), nullptr, key.data(), out.data()) != 1 ||
      lib.encrypt_update(ctx.get(), nullptr, &len, bytes(associated), static_cast<int>(associated.size())) != 1 ||
      lib.encrypt_update(ctx.get(), out.data() + k_nonce_size, &len, bytes(plaintext),
                         static_cast<int>(plaintext.size())) != 1 ||
      lib.encrypt_final(ctx.get(), out.data() + k_nonce_size + len, &len) != 1 ||
      lib.ctx_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, k_tag_size, out.data() + k_nonce_size + plaintext.size()) != 1) {
    return crypto_failure("encrypt");
  }
  return std::string(k_sealed_prefix) + base64_encode(lib, out);
}

Result<std::string> open(const Key& key, std::string_view sealed, std::string_view associated) {
  auto bad = [] { return fail(exit_code::k_dataerr, "sealed value is malformed"); };
  if (sealed.substr(0, k_sealed_prefix.size()) != k_sealed_prefix) {
    return bad();
  }
  auto loaded = libcrypto();
  if (!loaded) {
    return loaded.failure();
  }
  const Libcrypto& lib = **loaded;
  std::vector<unsigned char> in;
  if (!base64_decode(lib, sealed.substr(k_sealed_prefix.size()), in) || in.size() < k_nonce_size + k_tag_size) {
    return bad();
  }
  size_t text_size = in.size() - k_nonce_size - k_tag_size;
  std::string plain(text_size, '\0');
  auto* plain_bytes = reinterpret_cast<unsigned char*>(plain.data());
  Ctx ctx = new_ctx(lib);
  int len = 0;
  if (!ctx || lib.decrypt_init(ctx.get(), lib.aes_256_gcm(), nullptr, key.data(), in.data()) != 1 ||
      lib.decrypt_update(ctx.get(), nullptr, &len, bytes(associated), static_cast<int>(associated.size())) != 1 ||
      lib.decrypt_update(ctx.get(), plain_bytes, &len, in.data() + k_nonce_size, static_cast<int>(text_size)) != 1 ||
      lib.ctx_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, k_tag_size, in.data() + k_nonce_size + text_size) != 1) {
    return crypto_failure("decrypt");
  }
  if (lib.decrypt_final(ctx.get(), plain_bytes + len, &len) != 1) {
    ::explicit_bzero(plain.data(), plain.size());
    return fail(exit_code::k_dataerr, "sealed value does not open: altered, or sealed under another key");
  }
  return plain;
}

} // namespace m2g::crypto
