// libFuzzer harness for the HTTP response parser (PlainClient reads whatever a server sends:
// the Telegram API, GitHub, a model, or any host a chat's /repo names). Differential: the
// bytes fed whole and fed in pieces, as a slow socket delivers them, must give the same
// verdict, status, headers and body.
#include "common/http/response_parser.hpp"

#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

namespace {

struct Outcome {
  m2g::http::ResponseParser::State state;
  std::string flat;
};

Outcome parse(std::string_view input, size_t step, bool head, bool close_at_end) {
  m2g::http::ResponseParser parser(head, 2048, 1 << 16);
  auto state = parser.state();
  for (size_t at = 0; at < input.size() && state == m2g::http::ResponseParser::State::need_more; at += step) {
    state = parser.feed(input.substr(at, step));
  }
  if (close_at_end && state == m2g::http::ResponseParser::State::need_more) {
    state = parser.end_of_stream();
  }
  std::string flat;
  if (state == m2g::http::ResponseParser::State::complete) {
    flat = std::to_string(parser.status()) + (parser.keep_alive() ? " keep\n" : " close\n");
    for (const auto& header : parser.headers()) {
      flat += header.name + ':' + header.value + '\n';
    }
    flat += '\n' + parser.body();
    if (parser.body().size() > (1 << 16)) {
      std::abort(); // the body limit holds
    }
  }
  return {state, flat};
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) {
    return 0;
  }
  // The first byte picks the options: HEAD or not, a close at the end, and the piece size.
  bool head = data[0] & 1;
  bool close_at_end = data[0] & 2;
  size_t step = 1 + (data[0] >> 2);
  std::string_view input(reinterpret_cast<const char*>(data) + 1, size - 1);
  Outcome whole = parse(input, input.size() + 1, head, close_at_end);
  Outcome pieces = parse(input, step, head, close_at_end);
  if (whole.state != pieces.state || whole.flat != pieces.flat) {
    std::abort();
  }
  return 0;
}
