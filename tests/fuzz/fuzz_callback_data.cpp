// libFuzzer harness for inline-button data: Telegram does not check that callback data came
// from a keyboard the bot sent, so a modified client sends any 64 bytes (or more, through a
// forged webhook request). decode_callback must never throw or crash, whatever it returns.
#include "common/route/callback_data.hpp"

#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  (void)m2g::route::decode_callback(text);
  return 0;
}
