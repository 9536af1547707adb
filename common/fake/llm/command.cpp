#include "common/fake/llm/command.hpp"

#include "common/core/exit_codes.hpp"
#include "common/core/heap.hpp"
#include "common/core/log.hpp"
#include "common/core/secret.hpp"
#include "common/event/loop.hpp"
#include "common/fake/llm/server.hpp"

#include <csignal>
#include <cstdio>
#include <memory>

namespace m2g::fake::llm {
namespace {

struct Options {
  std::string host = "127.0.0.1";
  int port = -1;
  std::string latency = "0";
  std::string faults;
  int retry_after_s = 1;
  std::string key_file;
  uint64_t seed = 1;
};

template <typename T> T usage_or_value(Result<T> result, const std::string& option) {
  if (!result.ok()) {
    throw Error(exit_code::k_usage, option + ": " + result.error());
  }
  return std::move(result.value());
}

int run(const Options& options) {
  Config config;
  config.host = options.host;
  config.port = options.port;
  config.latency = usage_or_value(parse_latency(options.latency), "--latency");
  if (!options.faults.empty()) {
    config.faults = usage_or_value(parse_faults(options.faults), "--fault");
  }
  config.retry_after_s = options.retry_after_s;
  config.seed = options.seed;
  config.key = read_secret("M2G_FAKE_LLM_API_KEY", options.key_file).value_or("");

  // 10,000 waiting requests take about 30 MB; on huge pages their page faults cost far less.
  heap::reserve(64 << 20);
  event::Loop loop;
  FakeLlm fake(loop, config);
  if (auto listening = fake.listen(); !listening.ok()) {
    throw Error(exit_code::k_unavailable,
                "cannot listen on " + options.host + ":" + std::to_string(options.port) + ": " + listening.error());
  }
  // Scripts read the chosen port from the first line of stdout.
  std::printf("%d\n", fake.port());
  std::fflush(stdout);
  log::info("fake LLM on http://" + options.host + ":" + std::to_string(fake.port()) + "/v1" +
            (config.key.empty() ? " (any key)" : ""));
  int code = exit_code::k_ok;
  auto stop = [&](int exit_code) {
    code = exit_code;
    fake.close();
    loop.stop();
  };
  loop.on_signal(SIGTERM, [&] { stop(exit_code::k_ok); });
  loop.on_signal(SIGINT, [&] { stop(exit_code::k_sigint); });
  loop.run();
  log::info("stats " + fake.stats());
  return code;
}

} // namespace

void add_llm_command(CLI::App& fake_command, FakeMain& chosen) {
  auto options = std::make_shared<Options>();
  auto* sub = fake_command.add_subcommand("llm", "Fake OpenAI-compatible chat-completions server (+ GET /stats)");
  sub->add_option("--port", options->port, "Port to listen on (0: any free port); the port is printed on stdout")
      ->envname("M2G_FAKE_LLM_PORT")
      ->check(CLI::Range(0, 65535))
      ->required();
  sub->add_option("--host", options->host, "Address to listen on")->envname("M2G_FAKE_LLM_HOST")->capture_default_str();
  sub->add_option("--latency", options->latency,
                  "Delay of each answer: 5s, 150us, 100ms..2s (uniform) or normal:1s,200ms")
      ->envname("M2G_FAKE_LLM_LATENCY")
      ->capture_default_str();
  sub->add_option("--fault", options->faults,
                  "Fault rates, e.g. 429=0.1,quota=0.01,500=0.05,503=0.05,hang=0.01,drop=0.01,garbage=0.02,"
                  "fence=0.1,empty=0.02")
      ->envname("M2G_FAKE_LLM_FAULT");
  sub->add_option("--retry-after", options->retry_after_s, "Retry-After seconds of injected 429 and 503 answers")
      ->envname("M2G_FAKE_LLM_RETRY_AFTER")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  sub->add_option("--key-file", options->key_file,
                  "Require the key in FILE (or M2G_FAKE_LLM_API_KEY) as Authorization: Bearer; else 401")
      ->envname("M2G_FAKE_LLM_KEY_FILE");
  sub->add_option("--seed", options->seed, "Seed of the fault and latency draws")
      ->envname("M2G_FAKE_LLM_SEED")
      ->capture_default_str();
  sub->callback([options, &chosen] { chosen = [options] { return run(*options); }; });
}

} // namespace m2g::fake::llm
