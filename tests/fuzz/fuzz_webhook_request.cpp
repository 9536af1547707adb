// libFuzzer harness for m2g-poll's webhook request path: bytes from a stranger's socket through
// the HTTP request parser, the head as the secret check sees it, then the body through
// read_webhook_update (the nesting check, json::parse, normalize_update) exactly as the
// receiver takes it. Whatever the bytes, nothing may crash, and an accepted update must come
// out as one valid JSON line. The first byte picks a wrapping depth, so the nesting cap (128)
// is reached well inside -max_len=4096.
#include "common/http/parser.hpp"
#include "common/jsonl/scan.hpp"
#include "common/poll/webhook.hpp"

#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

namespace {

void check_body(const std::string& body) {
  m2g::telegram::NormalizeOptions normalize;
  normalize.bot_id = 1;
  auto item = m2g::poll::read_webhook_update(body, 1700000000000, normalize);
  if (!item.ok()) {
    return;
  }
  m2g::jsonl::ScanInfo info;
  size_t offset = 0;
  if (m2g::jsonl::scan(item->line, info, offset) != nullptr || !info.is_object ||
      item->line.find('\n') != std::string::npos || !m2g::jsonl::nesting_within(body)) {
    std::abort();
  }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) {
    return 0;
  }
  size_t depth = data[0] < 64 ? 0 : data[0] - 64; // 0..191: on both sides of the cap
  std::string_view input(reinterpret_cast<const char*>(data) + 1, size - 1);

  // The raw bytes as a whole request stream.
  m2g::http::RequestParser parser(16 << 10, 1 << 20);
  std::string_view rest = input;
  while (!rest.empty()) {
    size_t used = parser.feed(rest);
    if (used > rest.size()) {
      std::abort();
    }
    rest.remove_prefix(used);
    if (parser.state() == m2g::http::RequestParser::State::failed) {
      break;
    }
    if (parser.head_done()) {
      (void)parser.request().header("X-Telegram-Bot-Api-Secret-Token");
    }
    if (parser.state() != m2g::http::RequestParser::State::complete) {
      break;
    }
    check_body(parser.take().body);
  }

  // The bytes as a body, bare and wrapped `depth` levels deep inside an update.
  check_body(std::string(input));
  std::string wrapped = R"({"update_id":1,"message":{"message_id":1,"date":1,"chat":{"id":1,"type":"private"},"x":)";
  wrapped.append(depth, '[');
  wrapped += input;
  wrapped.append(depth, ']');
  wrapped += "}}";
  check_body(wrapped);
  return 0;
}
