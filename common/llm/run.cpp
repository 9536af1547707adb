#include "common/llm/run.hpp"

#include "common/cli/app.hpp"
#include "common/core/exit_codes.hpp"
#include "common/core/heap.hpp"
#include "common/core/log.hpp"
#include "common/core/secret.hpp"
#include "common/http/client.hpp"
#include "common/http/either_client.hpp"
#include "common/llm/stage.hpp"
#include "common/llm/text.hpp"

#include <cstdlib>
#include <memory>
#include <optional>

namespace m2g::llm {
namespace {

// A chat-completions answer with a title is about 1 KiB with its headers (longer ones just
// take more reads). Each curl transfer in flight holds one buffer: at 10,000 in flight, 4 KiB
// buffers cost 30 MB more peak RSS than these (curl's default is 16 KiB).
constexpr long k_receive_buffer = 1 << 10;
// Heap per request in flight at the peak through curl, reserved up front on huge pages
// (common/core/heap.hpp): 11 KiB of it is libcurl's (handle, connection, buffer), the rest the
// job and bookkeeping (measured: 177 MB at 10,000). PlainClient needs no reservation: its
// ~0.6 KB per request make a few MB in all, whose page faults cost milliseconds, while huge
// pages would round every touched 2 MiB of them up (0.3-2 MB more at 10,000 in flight).
constexpr size_t k_heap_per_curl_request = 16 << 10;

TitlerOptions titler_options(const Config& config) {
  TitlerOptions options;
  // Read even when no endpoint is set: a missing key file is a mistake worth reporting (66).
  std::optional<std::string> key = read_secret("M2G_LLM_API_KEY", config.key_file);
  if (key && !key->empty()) {
    options.headers.push_back("Authorization: Bearer " + *key);
  }
  if (!config.prompt_file.empty()) {
    options.request.prompt = read_file(config.prompt_file);
    if (trim(options.request.prompt).empty()) {
      throw Error(exit_code::k_config, "--prompt-file " + config.prompt_file + " is empty");
    }
  }
  if (!config.base_url.empty() && config.model.empty()) {
    throw Error(exit_code::k_config, "--base-url needs --model (or M2G_LLM_MODEL)");
  }
  options.url = completions_url(config.base_url);
  options.request.model = config.model;
  options.request.max_tokens = config.max_tokens;
  options.request.json_mode = !config.no_json_mode;
  options.timeout = Millis(cli::parse_duration_ms(config.timeout));
  options.retries = config.retries;
  options.max_inflight = config.max_inflight;
  options.breaker.failure_threshold = config.breaker_failures;
  options.breaker.cooldown = Millis(cli::parse_duration_ms(config.breaker_cooldown));
  return options;
}

void summarize(const Titler& titler) {
  const TitlerStats& s = titler.stats();
  log::info("titles: " + std::to_string(s.titled) + " from the model, " + std::to_string(s.fallbacks) +
            " fallbacks; requests " + std::to_string(s.requests) + ", retries " + std::to_string(s.retries) +
            ", short-circuited " + std::to_string(s.short_circuited) + "; tokens " + std::to_string(s.prompt_tokens) +
            " prompt + " + std::to_string(s.completion_tokens) + " completion; circuit opened " +
            std::to_string(titler.breaker().openings()) + " times");
}

} // namespace

std::string check_base_url(const std::string& url) {
  if (url.empty() || url.rfind("http://", 0) == 0 || url.rfind("https://", 0) == 0) {
    return "";
  }
  return "must start with http:// or https://";
}

int run(const Config& config, const stage::IoOptions& io_options) {
  TitlerOptions options = titler_options(config);
  if (config.http_client == "plain" && !config.base_url.empty() && !http::plain_client_can_send(config.base_url)) {
    throw Error(exit_code::k_config, "--http-client plain needs an http:// --base-url without credentials");
  }
  event::Loop loop;
  // The stage holds up to twice --max-inflight jobs (in flight, and waiting for a slot).
  size_t max_held = 2 * config.max_inflight;
  stage::Io io(loop, io_options.holding(max_held + io_options.take_batch));
  std::unique_ptr<http::Sender> client;
  std::unique_ptr<Titler> titler;
  if (!config.base_url.empty()) {
    // The client gets room beyond the Titler's own cap, so a request never waits in both queues.
    size_t slots = config.max_inflight + 16;
    if (http::use_plain_client(config.http_client, config.base_url)) {
      http::PlainClientOptions plain;
      plain.max_inflight = slots;
      // Keep every connection a burst opened: closing 10,000 loopback sockets as their answers
      // came in was a fifth of the stage's CPU while those answers were due (a close does the
      // peer's half of the teardown too), and the next burst reuses them instead of connecting.
      // An idle one costs 16 bytes here; the server may close it (then the next request
      // reconnects), and the client closes those unused for 30 s.
      plain.max_idle = slots;
      client = std::make_unique<http::PlainClient>(loop, plain);
      log::debug("requests go out on the plain HTTP/1.1 client");
    } else {
      heap::reserve(config.max_inflight * k_heap_per_curl_request);
      http::ClientOptions client_options{slots, 0};
      client_options.buffer_size = k_receive_buffer;
      client = std::make_unique<http::Client>(loop, client_options);
      log::debug("requests go out on libcurl");
    }
    titler = std::make_unique<Titler>(loop, *client, options);
  } else {
    log::debug("no --base-url: every title is a fallback");
  }
  Stage stage(loop, io, titler.get(), max_held);
  io.on_signal_drain([&stage] { stage.drain(); });
  stage.start();
  loop.run();
  if (titler) {
    summarize(*titler);
  }
  return io.exit_code();
}

} // namespace m2g::llm
