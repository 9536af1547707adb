#pragma once
// Base64 as GitHub's API uses it: blobs and file contents travel base64-encoded in JSON.

#include <optional>
#include <string>
#include <string_view>

namespace m2g::github {

/// Standard base64 with padding, no line breaks.
std::string base64_encode(std::string_view bytes);
/// The same, appended to `out` (a request body built in one buffer, not copied into it).
void base64_append(std::string& out, std::string_view bytes);
/// The length of the base64 of `size` bytes.
inline size_t base64_size(size_t size) {
  return (size + 2) / 3 * 4;
}
/// Decode standard base64; whitespace (GitHub wraps lines at 60) is ignored. nullopt on
/// anything else that is not base64.
std::optional<std::string> base64_decode(std::string_view text);

} // namespace m2g::github
