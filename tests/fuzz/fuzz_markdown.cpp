// libFuzzer harness for Telegram entities → Markdown. Entities arrive from Telegram (or a
// forged webhook request) with any offset and length, up to int64's limits, so the harness
// builds them from the bytes rather than hoping random JSON spells a 19-digit number.
#include "common/route/markdown.hpp"

#include <cstdint>
#include <cstdlib>
#include <fuzzer/FuzzedDataProvider.h>
#include <string>

namespace {

const char* const k_types[] = {"bold", "italic", "underline", "strikethrough", "code", "pre", "text_link", "url"};

int64_t edge_number(FuzzedDataProvider& in) {
  // Mostly small numbers (to land inside the text), sometimes the extremes.
  switch (in.ConsumeIntegralInRange<int>(0, 7)) {
  case 0:
    return INT64_MAX - in.ConsumeIntegralInRange<int64_t>(0, 64);
  case 1:
    return INT64_MIN + in.ConsumeIntegralInRange<int64_t>(0, 64);
  case 2:
    return in.ConsumeIntegral<int64_t>();
  default:
    return in.ConsumeIntegralInRange<int64_t>(-2, 80);
  }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  FuzzedDataProvider in(data, size);
  nlohmann::json entities = nlohmann::json::array();
  size_t count = in.ConsumeIntegralInRange<size_t>(0, 8);
  for (size_t i = 0; i < count; ++i) {
    nlohmann::json entity = {{"type", k_types[in.ConsumeIntegralInRange<size_t>(0, 7)]},
                             {"offset", edge_number(in)},
                             {"length", edge_number(in)}};
    if (in.ConsumeBool()) {
      entity["url"] = in.ConsumeRandomLengthString(16);
    }
    if (in.ConsumeBool()) {
      entity["language"] = in.ConsumeRandomLengthString(8);
    }
    entities.push_back(std::move(entity));
  }
  size_t drop = in.ConsumeIntegralInRange<size_t>(0, 16);
  std::string text = in.ConsumeRemainingBytesAsString();
  std::string markdown = m2g::route::to_markdown(text, entities);
  if (markdown.size() < text.size()) {
    std::abort(); // markup only adds
  }
  nlohmann::json moved = entities;
  std::string dropped = text;
  m2g::route::drop_prefix(dropped, moved, drop);
  (void)m2g::route::to_markdown(dropped, moved);
  m2g::route::trim_text(text, entities);
  (void)m2g::route::to_markdown(text, entities);
  return 0;
}
