// libFuzzer harness for the HTTP request parser. Differential: the bytes fed whole and fed in
// pieces (as a slow socket delivers them) must give the same requests and the same verdict,
// and the parser must never consume more than it was given.
#include "common/http/parser.hpp"

#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

namespace {

struct Outcome {
  std::vector<std::string> requests; // method, target, headers and body of each, flattened
  int error = 0;
};

std::string flatten(const m2g::http::Request& request) {
  std::string out = request.method + ' ' + request.target + '\n';
  for (const auto& header : request.headers) {
    out += header.name + ':' + header.value + '\n';
  }
  return out + '\n' + request.body;
}

// Parse every request in `input`, handing the parser at most `step` new bytes per call.
Outcome parse_all(std::string_view input, size_t step) {
  m2g::http::RequestParser parser(512, 4096);
  Outcome outcome;
  std::string buffer;
  size_t pos = 0;
  size_t fed = 0;
  while (true) {
    if (fed < input.size()) {
      size_t take = std::min(step, input.size() - fed);
      buffer.append(input.substr(fed, take));
      fed += take;
    }
    std::string_view pending = std::string_view(buffer).substr(pos);
    size_t used = parser.feed(pending);
    if (used > pending.size()) {
      std::abort();
    }
    pos += used;
    if (parser.state() == m2g::http::RequestParser::State::failed) {
      outcome.error = parser.error_status();
      return outcome;
    }
    if (parser.state() == m2g::http::RequestParser::State::complete) {
      outcome.requests.push_back(flatten(parser.take()));
      continue;
    }
    if (fed == input.size() && used == 0) {
      return outcome;
    }
  }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) {
    return 0;
  }
  size_t step = 1 + data[0] % 16;
  std::string_view input(reinterpret_cast<const char*>(data) + 1, size - 1);
  Outcome whole = parse_all(input, input.size() + 1);
  Outcome pieces = parse_all(input, step);
  if (whole.requests != pieces.requests || whole.error != pieces.error) {
    std::abort();
  }
  return 0;
}
