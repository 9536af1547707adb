// libFuzzer harness for percent-encoding (webhook query strings and form bodies arrive from
// outside). Round trips: decoding what was encoded gives the input back, and a form decoded,
// encoded and decoded again gives the same pairs.
#include "common/http/url.hpp"

#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  (void)m2g::http::url_decode(text, true);
  (void)m2g::http::url_decode(text, false);
  std::string encoded = m2g::http::url_encode(text);
  if (encoded.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~%") !=
      std::string::npos) {
    std::abort();
  }
  if (m2g::http::url_decode(encoded, false) != text || m2g::http::url_decode(encoded, true) != text) {
    std::abort();
  }
  m2g::http::Params form = m2g::http::form_decode(text);
  std::string again = m2g::http::form_encode(form);
  auto reparsed = m2g::http::form_decode(again);
  if (reparsed != form) {
    std::abort();
  }
  (void)m2g::http::with_query(std::string(text), form);
  return 0;
}
