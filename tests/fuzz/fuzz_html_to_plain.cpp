// libFuzzer harness for m2g-progress's HTML → plain text (the fallback when Telegram refuses a
// message's HTML; the message quotes what a chat wrote). Nothing may crash, the result never
// grows past the input, and cutting it to fit stays within the limit.
#include "common/progress/text.hpp"

#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view html(reinterpret_cast<const char*>(data), size);
  std::string plain = m2g::progress::html_to_plain(html);
  if (plain.size() > html.size()) {
    std::abort();
  }
  std::string fitted = m2g::progress::fit_plain(plain, 100);
  if (m2g::progress::utf16_length(fitted) > 100) {
    std::abort();
  }
  return 0;
}
