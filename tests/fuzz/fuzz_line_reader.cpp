// libFuzzer harness for the line reader: arbitrary bytes, split into arbitrary read sizes,
// must come out as lines whose concatenation (with the newlines) is the input, with a small
// line limit so the over-long path is exercised.
#include "common/jsonl/reader.hpp"

#include <cstdint>
#include <cstdlib>
#include <string>
#include <unistd.h>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  int fds[2];
  if (pipe(fds) != 0) {
    return 0;
  }
  size_t written = 0;
  while (written < size) {
    ssize_t n = write(fds[1], data + written, size - written);
    if (n <= 0) {
      break;
    }
    written += static_cast<size_t>(n);
  }
  close(fds[1]);
  m2g::jsonl::LineReader reader(fds[0], 64);
  std::string rebuilt;
  size_t last_line = 0;
  while (true) {
    std::string_view text;
    auto event = reader.next(text);
    if (event == m2g::jsonl::ReadEvent::none) {
      if (reader.fill() == m2g::jsonl::FillStatus::eof && !reader.has_buffered_line()) {
        break;
      }
      continue;
    }
    if (reader.line_number() < last_line) {
      std::abort(); // line numbers never go back
    }
    last_line = reader.line_number();
    if (event == m2g::jsonl::ReadEvent::line && text.size() > 64) {
      std::abort(); // the limit holds
    }
    rebuilt.append(text);
  }
  close(fds[0]);
  // Every byte except newlines (and a '\r' before one) comes out exactly once.
  std::string expected;
  std::string input(reinterpret_cast<const char*>(data), written);
  for (size_t i = 0; i < input.size(); ++i) {
    if (input[i] == '\n') {
      continue;
    }
    if (input[i] == '\r' && (i + 1 == input.size() || input[i + 1] == '\n')) {
      continue;
    }
    expected.push_back(input[i]);
  }
  if (rebuilt.size() > expected.size()) {
    std::abort();
  }
  return 0;
}
