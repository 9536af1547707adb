// m2g-teststage: a stage built only from common/stage, for tests and benchmarks of the runtime.
// It forwards every line it does not own; lines of the owned kind are answered after a delay
// with a progress event and a result line derived from them (a stand-in for the slow middle
// stages when testing the chat side).
#include "common/cli/app.hpp"
#include "common/event/loop.hpp"
#include "common/stage/io.hpp"

#include <unordered_set>

int main(int argc, char** argv) {
  m2g::stage::IoOptions io_options;
  std::string own = "job";
  int64_t delay_ms = 0;
  bool progress = false;
  std::string sync = "normal";
  auto define = [&](CLI::App& app) {
    m2g::stage::add_io_options(app, io_options, "TESTSTAGE");
    app.add_option("--own", own, "Kind of line this stage answers (others pass through)")->capture_default_str();
    app.add_option("--delay-ms", delay_ms, "Answer owned lines after this many milliseconds")->capture_default_str();
    app.add_flag("--progress", progress, "Emit a progress event before each result");
    app.add_option("--sync", sync, "SQLite synchronous level for queue endpoints")->capture_default_str();
  };
  auto run = [&](CLI::App&) {
    using namespace m2g;
    io_options.sync = sqlite::parse_sync(sync).value_or(sqlite::Sync::normal);
    event::Loop loop;
    stage::Io io(loop, io_options);
    size_t in_flight = 0;
    jsonl::Kind owned = jsonl::kind_from_name(own);
    io.start(
        [&](jsonl::Line&& line, stage::Token token) {
          if (line.kind() != owned) {
            io.pass(std::move(line), token);
            return;
          }
          auto answer = [&io, &in_flight, token, value = line.json_value(), progress] {
            if (progress) {
              auto event = jsonl::derive(value, jsonl::Kind::progress);
              event["step"] = "committing";
              event["pct"] = 80;
              io.emit(jsonl::dump(event));
            }
            auto result = jsonl::derive(value, jsonl::Kind::result);
            result["file"] = "note.md";
            io.finish(token, {jsonl::dump(result)});
            --in_flight;
            io.check_done();
          };
          ++in_flight;
          if (delay_ms > 0) {
            loop.after(Millis(delay_ms), answer);
          } else {
            answer();
          }
        },
        [&] { return in_flight == 0; });
    loop.run();
    return io.exit_code();
  };
  return m2g::cli::main_wrapper(argc, argv, "m2g-teststage: a minimal stage for tests", define, run);
}
