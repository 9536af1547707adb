// libFuzzer harness for the line reader: arbitrary bytes must come out as exactly the input's
// lines, with a small line limit so the over-long path is exercised.
#include "common/jsonl/reader.hpp"

#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
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
  // Every line comes out with its newline removed, and a short line also loses a '\r' before it;
  // an over-long line is handed out raw (its bytes go to the reject file as they were).
  std::string expected;
  std::string_view input(reinterpret_cast<const char*>(data), written);
  size_t begin = 0;
  while (begin < input.size()) {
    size_t end = input.find('\n', begin);
    std::string_view line = input.substr(begin, end == std::string_view::npos ? std::string_view::npos : end - begin);
    if (line.size() <= 64 && !line.empty() && line.back() == '\r') {
      line.remove_suffix(1);
    }
    expected.append(line);
    begin = end == std::string_view::npos ? input.size() : end + 1;
  }
  if (rebuilt != expected) {
    std::abort();
  }
  return 0;
}
