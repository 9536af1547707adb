// libFuzzer harness for the Telegram side of m2g-poll: the Bot API envelope classifier and the
// Update normalizer must never throw or crash on any bytes a server (or an attacker posting
// to the webhook) sends, and every update with an integer update_id must normalize.
#include "common/jsonl/line.hpp"
#include "common/telegram/normalize.hpp"
#include "common/telegram/reply.hpp"

#include <cstdint>
#include <cstdlib>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  auto reply = m2g::telegram::classify(size % 2 ? 200 : 429, text);
  (void)reply.summary();
  auto update = nlohmann::json::parse(text, nullptr, false);
  if (update.is_discarded()) {
    return 0;
  }
  auto normalized = m2g::telegram::normalize_update(update, 1'700'000'000'000);
  if (normalized.ok() != m2g::telegram::update_id_of(update).has_value()) {
    std::abort();
  }
  if (normalized.ok()) {
    std::string line = m2g::jsonl::dump(normalized.value());
    if (!m2g::jsonl::decode(line, 1).ok()) {
      std::abort(); // what the poller writes must be a valid contract line
    }
  }
  return 0;
}
