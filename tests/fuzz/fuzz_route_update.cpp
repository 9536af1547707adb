// libFuzzer harness for m2g-route's reading of update lines (fuzz_telegram_update covers the
// poller's normalizer): route::parse_update must never throw or crash on any JSON, and every
// update the poller normalizes from Telegram's bytes must be one route can read.
#include "common/jsonl/line.hpp"
#include "common/route/update.hpp"
#include "common/telegram/normalize.hpp"

#include <cstdint>
#include <cstdlib>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  auto json = nlohmann::json::parse(text, nullptr, false);
  if (json.is_discarded()) {
    return 0;
  }
  (void)m2g::route::parse_update(json); // as if the line came from any writer
  auto normalized = m2g::telegram::normalize_update(json, 1'700'000'000'000);
  if (normalized.ok()) {
    auto line = m2g::jsonl::decode(m2g::jsonl::dump(normalized.value()), 1);
    if (!line.ok()) {
      std::abort();
    }
    (void)m2g::route::parse_update(line.value().json_value());
  }
  return 0;
}
