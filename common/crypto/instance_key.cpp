#include "common/crypto/instance_key.hpp"

#include "common/core/exit_codes.hpp"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/random.h>
#include <unistd.h>

namespace m2g::crypto {
namespace {

Failure cannot_create(const std::string& path, const std::string& why) {
  return fail(exit_code::k_cantcreat, "cannot create key file '" + path + "': " + why);
}

// 64 hex characters of fresh randomness (getrandom(2): no libcrypto needed at start).
Result<std::string> random_hex() {
  uint8_t bytes[Key::k_size];
  size_t got = 0;
  while (got < sizeof bytes) {
    ssize_t n = ::getrandom(bytes + got, sizeof bytes - got, 0);
    if (n < 0) {
      if (errno == EINTR) {
        continue;
      }
      return fail(exit_code::k_software, std::string("cannot get random bytes: ") + std::strerror(errno));
    }
    got += static_cast<size_t>(n);
  }
  static constexpr char k_hex[] = "0123456789abcdef";
  std::string out;
  for (uint8_t b : bytes) {
    out += k_hex[b >> 4];
    out += k_hex[b & 0xf];
  }
  out += '\n';
  ::explicit_bzero(bytes, sizeof bytes);
  return out;
}

// Write the new key to a private temporary file, then link(2) it to `path`: link never
// replaces an existing file, so when two stages start at once one key wins and both read it.
Result<void> publish_new_key(const std::string& path) {
  auto hex = random_hex();
  if (!hex) {
    return hex.failure();
  }
  std::string temp = path + ".new." + std::to_string(::getpid());
  int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    ::explicit_bzero(hex->data(), hex->size());
    return cannot_create(path, std::strerror(errno));
  }
  bool written = ::write(fd, hex->data(), hex->size()) == static_cast<ssize_t>(hex->size()) && ::fsync(fd) == 0;
  int saved = errno;
  ::close(fd);
  ::explicit_bzero(hex->data(), hex->size());
  if (!written) {
    ::unlink(temp.c_str());
    return cannot_create(path, std::strerror(saved));
  }
  int linked = ::link(temp.c_str(), path.c_str());
  saved = errno;
  ::unlink(temp.c_str());
  if (linked != 0 && saved != EEXIST) {
    return cannot_create(path, std::strerror(saved));
  }
  return {};
}

} // namespace

Result<Key> load_or_create_key_file(const std::string& path) {
  if (::access(path.c_str(), F_OK) != 0) {
    if (errno != ENOENT) {
      return cannot_create(path, std::strerror(errno));
    }
    M2G_TRY(publish_new_key(path));
  }
  return load_key_file(path);
}

Result<std::optional<Key>> instance_key(const std::string& key_file, const std::string& data_dir) {
  if (!key_file.empty()) {
    auto key = load_key_file(key_file);
    if (!key) {
      return key.failure();
    }
    return std::optional<Key>(*key);
  }
  if (data_dir.empty()) {
    return std::optional<Key>();
  }
  auto key = load_or_create_key_file(data_dir + "/" + k_instance_key_name);
  if (!key) {
    return key.failure();
  }
  return std::optional<Key>(*key);
}

} // namespace m2g::crypto
