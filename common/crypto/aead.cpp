#include "common/crypto/aead.hpp"

#include "common/core/exit_codes.hpp"

#include <memory>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <vector>

namespace m2g::crypto {
namespace {

constexpr int k_nonce_size = 12;
constexpr int k_tag_size = 16;

struct CtxFree {
  void operator()(EVP_CIPHER_CTX* ctx) const { EVP_CIPHER_CTX_free(ctx); }
};
using Ctx = std::unique_ptr<EVP_CIPHER_CTX, CtxFree>;

const unsigned char* bytes(std::string_view text) {
  return reinterpret_cast<const unsigned char*>(text.data());
}

std::string base64_encode(const std::vector<unsigned char>& in) {
  std::string out(4 * ((in.size() + 2) / 3), '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), in.data(), static_cast<int>(in.size()));
  out.resize(static_cast<size_t>(n));
  return out;
}

bool base64_decode(std::string_view in, std::vector<unsigned char>& out) {
  if (in.empty() || in.size() % 4 != 0) {
    return false;
  }
  out.assign(3 * in.size() / 4, 0);
  int n = EVP_DecodeBlock(out.data(), bytes(in), static_cast<int>(in.size()));
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
  std::vector<unsigned char> out(k_nonce_size + plaintext.size() + k_tag_size);
  if (RAND_bytes(out.data(), k_nonce_size) != 1) {
    return crypto_failure("get random bytes for a nonce");
  }
  Ctx ctx(EVP_CIPHER_CTX_new());
  int len = 0;
  if (!ctx || EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, key.data(), out.data()) != 1 ||
      EVP_EncryptUpdate(ctx.get(), nullptr, &len, bytes(associated), static_cast<int>(associated.size())) != 1 ||
      EVP_EncryptUpdate(ctx.get(), out.data() + k_nonce_size, &len, bytes(plaintext),
                        static_cast<int>(plaintext.size())) != 1 ||
      EVP_EncryptFinal_ex(ctx.get(), out.data() + k_nonce_size + len, &len) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, k_tag_size, out.data() + k_nonce_size + plaintext.size()) !=
          1) {
    return crypto_failure("encrypt");
  }
  return std::string(k_sealed_prefix) + base64_encode(out);
}

Result<std::string> open(const Key& key, std::string_view sealed, std::string_view associated) {
  auto bad = [] { return fail(exit_code::k_dataerr, "sealed value is malformed"); };
  if (sealed.substr(0, k_sealed_prefix.size()) != k_sealed_prefix) {
    return bad();
  }
  std::vector<unsigned char> in;
  if (!base64_decode(sealed.substr(k_sealed_prefix.size()), in) || in.size() < k_nonce_size + k_tag_size) {
    return bad();
  }
  size_t text_size = in.size() - k_nonce_size - k_tag_size;
  std::string plain(text_size, '\0');
  auto* plain_bytes = reinterpret_cast<unsigned char*>(plain.data());
  Ctx ctx(EVP_CIPHER_CTX_new());
  int len = 0;
  if (!ctx || EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, key.data(), in.data()) != 1 ||
      EVP_DecryptUpdate(ctx.get(), nullptr, &len, bytes(associated), static_cast<int>(associated.size())) != 1 ||
      EVP_DecryptUpdate(ctx.get(), plain_bytes, &len, in.data() + k_nonce_size, static_cast<int>(text_size)) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, k_tag_size, in.data() + k_nonce_size + text_size) != 1) {
    return crypto_failure("decrypt");
  }
  if (EVP_DecryptFinal_ex(ctx.get(), plain_bytes + len, &len) != 1) {
    OPENSSL_cleanse(plain.data(), plain.size());
    return fail(exit_code::k_dataerr, "sealed value does not open: altered, or sealed under another key");
  }
  return plain;
}

} // namespace m2g::crypto
