// m2g-limit: token-bucket admission of jobs and updates, globally and per key (user), holding
// lines over the limit (wait) or answering them with rejection lines (drop). See m2g-limit(1).
#include "common/cli/app.hpp"
#include "common/limit/key_path.hpp"
#include "common/limit/stage.hpp"

int main(int argc, char** argv) {
  m2g::stage::IoOptions io_options;
  m2g::limit::StageOptions options;
  std::string mode = "wait";
  auto define = [&](CLI::App& app) {
    auto& limits = options.limits;
    app.add_option("--rate", limits.rate, "Global limit: lines per second")
        ->envname("M2G_LIMIT_RATE")
        ->check(CLI::Range(1e-6, 1e12))
        ->capture_default_str();
    app.add_option("--burst", limits.burst, "Global limit: lines admitted at once after a quiet spell")
        ->envname("M2G_LIMIT_BURST")
        ->check(CLI::Range(1.0, 1e12))
        ->capture_default_str();
    app.add_option("--per-key-rate", limits.key_rate, "Per-key limit: lines per second for each key")
        ->envname("M2G_LIMIT_PER_KEY_RATE")
        ->check(CLI::Range(1e-6, 1e12))
        ->capture_default_str();
    app.add_option("--per-key-burst", limits.key_burst, "Per-key limit: lines admitted at once for each key")
        ->envname("M2G_LIMIT_PER_KEY_BURST")
        ->check(CLI::Range(1.0, 1e12))
        ->capture_default_str();
    app.add_option("--key", options.key, "Field that names the key, a dotted path (e.g. from.id)")
        ->envname("M2G_LIMIT_KEY")
        ->check(CLI::Validator(
            [](std::string& text) {
              try {
                m2g::limit::KeyPath path(text);
              } catch (const std::invalid_argument& e) {
                return std::string(e.what());
              }
              return std::string();
            },
            "PATH"))
        ->capture_default_str();
    app.add_option("--mode", mode, "wait: hold lines over a limit; drop: answer them with rejection lines")
        ->envname("M2G_LIMIT_MODE")
        ->check(CLI::IsMember({"wait", "drop"}))
        ->capture_default_str();
    app.add_option("--kinds", options.kinds, "Kinds of line subject to limiting (comma-separated)")
        ->envname("M2G_LIMIT_KINDS")
        ->delimiter(',')
        ->check(CLI::IsMember(m2g::limit::limitable_kinds()))
        ->capture_default_str();
    app.add_option("--max-held", options.max_held, "Wait mode: stop reading input while this many lines are held")
        ->envname("M2G_LIMIT_MAX_HELD")
        ->check(CLI::Range(size_t{1}, size_t{100'000'000}))
        ->capture_default_str();
    app.add_option("--max-keys", limits.max_keys, "Per-key buckets remembered at most (memory bound)")
        ->envname("M2G_LIMIT_MAX_KEYS")
        ->check(CLI::Range(size_t{1}, size_t{1'000'000'000}))
        ->capture_default_str();
    app.add_option("--tiers", options.tiers_path, "Per-key rates: text (KEY RATE BURST) or SQLite; reread on SIGHUP")
        ->envname("M2G_LIMIT_TIERS");
    m2g::stage::add_io_options(app, io_options, "LIMIT");
  };
  auto run = [&](CLI::App&) {
    options.mode = mode == "drop" ? m2g::limit::Mode::drop : m2g::limit::Mode::wait;
    return m2g::limit::run(options, io_options);
  };
  return m2g::cli::main_wrapper(argc, argv, "m2g-limit: admit jobs and updates at a bounded rate, globally and per key",
                                define, run);
}
