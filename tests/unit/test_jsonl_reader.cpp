#include "common/jsonl/reader.hpp"

#include <doctest/doctest.h>
#include <string>
#include <unistd.h>
#include <vector>

using namespace m2g::jsonl;

namespace {

struct Event {
  ReadEvent type;
  std::string text;
  size_t line;
};

// Feed `chunks` through a pipe one write at a time and collect every event.
std::vector<Event> read_all(const std::vector<std::string>& chunks, size_t max_line) {
  int fds[2];
  REQUIRE(pipe(fds) == 0);
  LineReader reader(fds[0], max_line);
  std::vector<Event> events;
  auto drain = [&] {
    std::string_view text;
    for (ReadEvent e = reader.next(text); e != ReadEvent::none; e = reader.next(text)) {
      events.push_back({e, std::string(text), reader.line_number()});
    }
  };
  for (const auto& chunk : chunks) {
    REQUIRE(write(fds[1], chunk.data(), chunk.size()) == static_cast<ssize_t>(chunk.size()));
    REQUIRE(reader.fill() == FillStatus::data);
    drain();
  }
  close(fds[1]);
  while (reader.fill() != FillStatus::eof) {
  }
  drain();
  close(fds[0]);
  return events;
}

} // namespace

TEST_SUITE("jsonl") {
  TEST_CASE("m2g::jsonl::LineReader") {
    SUBCASE("lines split across reads, CRLF, last line without newline") {
      auto events = read_all({"{\"a\"", ":1}\r\n{\"b\":2}\n\n{\"c\"", ":3}"}, 100);
      REQUIRE(events.size() == 4);
      CHECK(events[0].text == "{\"a\":1}");
      CHECK(events[0].line == 1);
      CHECK(events[1].text == "{\"b\":2}");
      CHECK(events[2].text.empty());
      CHECK(events[3].text == "{\"c\":3}");
      CHECK(events[3].line == 4);
    }
    SUBCASE("an over-long line is handed out in parts and the next line survives") {
      std::string huge(250, 'x');
      auto events = read_all({huge.substr(0, 120), huge.substr(120) + "\n{\"ok\":1}\n"}, 100);
      std::string long_bytes;
      size_t ok_line = 0;
      bool ended = false;
      for (const auto& e : events) {
        if (e.type == ReadEvent::too_long_part || e.type == ReadEvent::too_long_end) {
          CHECK(e.line == 1);
          long_bytes += e.text;
          ended = ended || e.type == ReadEvent::too_long_end;
        } else if (e.type == ReadEvent::line) {
          CHECK(e.text == "{\"ok\":1}");
          ok_line = e.line;
        }
      }
      CHECK(ended);
      CHECK(long_bytes == huge);
      CHECK(ok_line == 2);
    }
    SUBCASE("a line of exactly the limit is a line") {
      std::string exact(100, 'y');
      auto events = read_all({exact + "\n"}, 100);
      REQUIRE(events.size() == 1);
      CHECK(events[0].type == ReadEvent::line);
    }
  }
}
