#pragma once
// The key that seals secrets at rest (chat repository tokens). It is read from a file that
// holds either 32 raw bytes or 64 hex characters, never from argv, and it is wiped from
// memory when dropped.

#include "common/core/error.hpp"

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace m2g::crypto {

/// An AES-256 key. Copies are allowed (settings stores and routers each hold one); every copy
/// is cleansed on destruction.
class Key {
public:
  static constexpr size_t k_size = 32;

  /// A key from exactly 32 bytes; fails otherwise.
  static Result<Key> from_bytes(std::string_view bytes);
  /// A key from a key file's contents: 32 raw bytes, or 64 hex characters with optional
  /// surrounding whitespace.
  static Result<Key> parse(std::string_view file_contents);

  Key(const Key&) = default;
  Key& operator=(const Key&) = default;
  ~Key();

  const uint8_t* data() const { return m_bytes.data(); }

private:
  Key() = default;
  std::array<uint8_t, k_size> m_bytes{};
};

/// Load the key from `path`. Failures: 66 when the file cannot be read, 78 when its contents
/// are not a key. A file accessible to group or others is refused (78), before it is read.
Result<Key> load_key_file(const std::string& path);

} // namespace m2g::crypto
