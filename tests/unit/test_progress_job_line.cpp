// A job line read from its text must become exactly the state its DOM would: the fast path
// may only change what a line costs, never what the chat sees.
#include "common/progress/job_line.hpp"

#include <doctest/doctest.h>

using namespace m2g;
using namespace m2g::progress;

namespace {

// What Outbox::accept makes of the parsed line, as read_job_line gives it.
void check_same_as_dom(const std::string& raw) {
  CAPTURE(raw);
  json line = json::parse(raw);
  jsonl::Kind kind = jsonl::kind_from_name(line["kind"].get<std::string>());
  auto read = read_job_line(raw, kind);
  REQUIRE(read.has_value());
  PackedFrame expected = pack(kind == jsonl::Kind::result ? render_result(line) : render_progress(line));
  CHECK(read->frame.params == expected.params);
  CHECK(read->frame.link() == expected.link());
  CHECK(read->frame.html == expected.html);
  CHECK(read->frame.view_button == expected.view_button);
  CHECK(read->frame.final == expected.final);
  CHECK(read->frame.from_progress == expected.from_progress);
  CHECK(read->frame.ends_job == expected.ends_job);
  CHECK(read->frame.revivable == expected.revivable);
  CHECK(read->chat == line["chat_id"].get<int64_t>());
  auto number = [&](const char* key) {
    return line.contains(key) && line[key].is_number_integer() ? line[key].get<int64_t>() : 0;
  };
  CHECK(read->status_message_id == number("status_message_id"));
  CHECK(read->message_id == number("message_id"));
  CHECK(read->id == (line.contains("id") && line["id"].is_string() ? line["id"].get<std::string>() : ""));
}

} // namespace

TEST_SUITE("progress") {
  TEST_CASE("m2g::progress::read_job_line") {
    SUBCASE("results as m2g-commit writes them") {
      check_same_as_dom(
          R"({"chat_id":1000042,"commit":"9f2c","duplicate":false,"file":"inbox.md","id":"1000042:7",)"
          R"("kind":"result","message_id":7,"qid":"commit:99","t0":1,"title":"Buy <oat> milk & \"eggs\"",)"
          R"("ts":2,"url":"https://github.com/o/r/blob/main/inbox.md","user_id":5,"v":1})");
      check_same_as_dom(R"({"v":1,"kind":"result","id":"1:2","chat_id":1,"file":"a.md","duplicate":true})");
      check_same_as_dom(R"({"v":1,"kind":"result","id":"1:2","chat_id":1,"url":"file:///x","title":""})");
      check_same_as_dom(R"({"v":1,"kind":"result","chat_id":1,"status_message_id":77,"file":"标题.md"})");
    }
    SUBCASE("progress lines, with and without their own pct and text") {
      check_same_as_dom(R"({"v":1,"kind":"progress","id":"1:2","chat_id":1,"step":"title","pct":40,)"
                        R"("text":"generating title…","stage":"m2g-llm"})");
      check_same_as_dom(R"({"v":1,"kind":"progress","id":"1:2","chat_id":1,"step":"committing"})");
      check_same_as_dom(R"({"v":1,"kind":"progress","id":"1:2","chat_id":1,"pct":42.9,"text":"<b>x</b>"})");
      check_same_as_dom(R"({"v":1,"kind":"progress","id":"1:2","chat_id":1,"pct":"x","text":5,"step":null})");
      check_same_as_dom(R"({"v":1,"kind":"progress","id":7,"chat_id":1,"message_id":3.5,"pct":-5})");
    }
    SUBCASE("what only the full parse reads right is left to it") {
      CHECK_FALSE(read_job_line(R"({"v":1,"kind":"result","chat_id":"@news","file":"a.md"})", jsonl::Kind::result));
      CHECK_FALSE(read_job_line(R"({"v":1,"kind":"result","chat_id":1,"issue":{"number":3}})", jsonl::Kind::result));
      CHECK_FALSE(read_job_line(R"({"v":1,"kind":"result","file":"a.md"})", jsonl::Kind::result));
      CHECK_FALSE(read_job_line(R"({"v":1,"kind":"progress","chat_id":1,"message_id":99999999999999999999})",
                                jsonl::Kind::progress));
      CHECK_FALSE(read_job_line(R"({"v":1,"kind":"error","chat_id":1})", jsonl::Kind::error));
    }
  }
}
