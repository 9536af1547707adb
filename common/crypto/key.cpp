#include "common/crypto/key.hpp"

#include "common/core/exit_codes.hpp"
#include "common/core/private_process.hpp"
#include "common/core/secret_file.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>

namespace m2g::crypto {
namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') {
    return c - '0';
  }
  if (c >= 'a' && c <= 'f') {
    return c - 'a' + 10;
  }
  if (c >= 'A' && c <= 'F') {
    return c - 'A' + 10;
  }
  return -1;
}

std::string_view trim(std::string_view text) {
  auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) {
    return {};
  }
  auto last = text.find_last_not_of(" \t\r\n");
  return text.substr(first, last - first + 1);
}

} // namespace

Key::~Key() {
  // explicit_bzero, like OPENSSL_cleanse, is a wipe the compiler may not drop as a dead store.
  ::explicit_bzero(m_bytes.data(), m_bytes.size());
}

Result<Key> Key::from_bytes(std::string_view bytes) {
  if (bytes.size() != k_size) {
    return fail(exit_code::k_config, "a key must be 32 bytes, got " + std::to_string(bytes.size()));
  }
  Key key;
  std::memcpy(key.m_bytes.data(), bytes.data(), k_size);
  return key;
}

Result<Key> Key::parse(std::string_view contents) {
  // Raw bytes first: 32 random bytes may well contain whitespace at either end, so they must
  // not be trimmed.
  if (contents.size() == k_size) {
    return from_bytes(contents);
  }
  std::string_view hex = trim(contents);
  if (hex.size() != 2 * k_size) {
    return fail(exit_code::k_config, "the key must be 32 raw bytes or 64 hex characters");
  }
  Key key;
  for (size_t i = 0; i < k_size; ++i) {
    int high = hex_value(hex[2 * i]);
    int low = hex_value(hex[2 * i + 1]);
    if (high < 0 || low < 0) {
      return fail(exit_code::k_config, "the key must be 32 raw bytes or 64 hex characters");
    }
    key.m_bytes[i] = static_cast<uint8_t>(high * 16 + low);
  }
  return key;
}

Result<Key> load_key_file(const std::string& path) {
  make_undumpable(); // before the key is in memory (core dumps, ptrace)
  if (auto problem = secret_file_exposure(path)) {
    return fail(exit_code::k_config, *problem);
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return fail(exit_code::k_noinput, "cannot read key file '" + path + "': " + std::strerror(errno));
  }
  std::string contents((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto key = Key::parse(contents);
  ::explicit_bzero(contents.data(), contents.size());
  if (!key) {
    return fail(exit_code::k_config, "key file '" + path + "': " + key.error());
  }
  return key;
}

} // namespace m2g::crypto
