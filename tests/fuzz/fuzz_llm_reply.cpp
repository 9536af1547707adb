// libFuzzer harness for what a model answers: the completion body (any bytes a server at
// M2G_LLM_URL sends), the reply content inside it, and Retry-After. Nothing may throw or
// crash, and a usable reply keeps to its documented limits.
#include "common/llm/completion.hpp"
#include "common/llm/reply.hpp"

#include <cstdint>
#include <cstdlib>
#include <string_view>

namespace {

void check(const m2g::llm::TitleReply& reply) {
  if (reply.title.empty() || reply.title.size() > m2g::llm::k_max_title_bytes ||
      reply.hashtags.size() > m2g::llm::k_max_hashtags) {
    std::abort();
  }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  if (auto reply = m2g::llm::parse_title_reply(text)) {
    check(*reply);
  }
  m2g::llm::Exchange exchange;
  exchange.status = size % 3 == 0 ? 200 : size % 3 == 1 ? 429 : 503;
  exchange.body = text;
  exchange.retry_after = text.substr(0, 40);
  auto attempt = m2g::llm::assess(exchange, 1'700'000'000'000);
  if (attempt.reply) {
    check(*attempt.reply);
  }
  (void)m2g::llm::parse_retry_after(text, 1'700'000'000'000);
  return 0;
}
