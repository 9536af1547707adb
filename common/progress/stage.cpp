#include "common/progress/stage.hpp"

#include "common/cli/app.hpp"
#include "common/core/exit_codes.hpp"
#include "common/core/log.hpp"
#include "common/core/secret.hpp"
#include "common/http/either_client.hpp"
#include "common/progress/http_transport.hpp"

namespace m2g::progress {
namespace {

// Calls not yet done above which input pauses (memory stays bounded if Telegram is down for
// long); far above what a healthy bot ever queues, so lines are not held back in practice.
constexpr size_t k_max_backlog = 100'000;
// libcurl's receive buffer per call; a longer answer is simply read in more pieces.
constexpr long k_receive_buffer = 4 << 10;
// Queue input: lines taken per transaction. Each round's lines are passed on into the stdout
// buffer before it is flushed: 256 result lines of ~320 bytes are ~80 KB (lines of ~1.5 KB, when
// m2g-commit still wrote a "pushed" state per job, made 512 a 1.8 MB buffer). Each take also
// acknowledges the batch before it (one write transaction per batch): 256 lines make a quarter
// of the transactions 64 did for the 10,000 results of a big batch. Output backed up past the
// cap pauses input (lines wait in the queue, not here).
constexpr size_t k_take_batch = 256;
constexpr size_t k_max_output_buffer = 256 << 10;

bool speaks_to_chat(jsonl::Kind kind) {
  return kind == jsonl::Kind::action || kind == jsonl::Kind::progress || kind == jsonl::Kind::result ||
         kind == jsonl::Kind::error || kind == jsonl::Kind::rejection;
}

std::string summary(const OutboxStats& s) {
  return std::to_string(s.calls) + " calls: " + std::to_string(s.new_messages) + " status messages sent, " +
         std::to_string(s.edits) + " edited, " + std::to_string(s.actions) + " actions, " +
         std::to_string(s.coalesced) + " states coalesced, " + std::to_string(s.skipped) + " skipped, " +
         std::to_string(s.rate_limited) + " rate-limited, " + std::to_string(s.retried) + " retried, " +
         std::to_string(s.failed) + " failed";
}

} // namespace

void add_options(CLI::App& app, StageOptions& options) {
  stage::add_io_options(app, options.io, "PROGRESS");
  app.add_option("--api-url", options.api_url, "Bot API server URL")
      ->envname("M2G_TELEGRAM_API_URL")
      ->capture_default_str();
  app.add_option("--token-file", options.token_file, "Read the bot token from FILE (else M2G_TELEGRAM_TOKEN)")
      ->envname("M2G_TELEGRAM_TOKEN_FILE");
  cli::add_http_client_option(app, options.http_client, "M2G_PROGRESS_HTTP_CLIENT");
  app.add_option("--per-chat-rate", options.outbox.rate.per_chat_rate, "Calls per second into one chat")
      ->envname("M2G_PROGRESS_PER_CHAT_RATE")
      ->check(CLI::Range(1e-3, 1e6))
      ->capture_default_str();
  app.add_option("--global-rate", options.outbox.rate.global_rate,
                 "Calls per second overall (1000 with paid broadcasts)")
      ->envname("M2G_PROGRESS_GLOBAL_RATE")
      ->check(CLI::Range(1e-3, 1e6))
      ->capture_default_str();
  app.add_option("--max-frames", options.outbox.max_frames, "Intermediate states shown per status message")
      ->envname("M2G_PROGRESS_MAX_FRAMES")
      ->check(CLI::Range(0, 1'000'000))
      ->capture_default_str();
  app.add_option("--max-inflight", options.outbox.max_inflight, "Telegram calls in flight at once")
      ->envname("M2G_PROGRESS_MAX_INFLIGHT")
      ->check(CLI::Range(size_t{1}, size_t{100'000}))
      ->capture_default_str();
  app.add_option("--max-jobs", options.outbox.max_jobs, "Finished or idle status messages remembered")
      ->envname("M2G_PROGRESS_MAX_JOBS")
      ->check(CLI::Range(size_t{0}, size_t{100'000'000}))
      ->capture_default_str();
  app.add_option_function<std::string>(
         "--timeout", [&options](const std::string& text) { options.timeout_ms = cli::parse_duration_ms(text); },
         "Time limit of one Telegram call (default 30s)")
      ->envname("M2G_PROGRESS_TIMEOUT")
      ->check(cli::duration_validator());
  app.add_option("--retries", options.retries, "Retries of a call after 5xx or network failures")
      ->envname("M2G_PROGRESS_RETRIES")
      ->check(CLI::Range(0, 100))
      ->capture_default_str();
}

int run(StageOptions& options) {
  auto bot_token = read_secret("M2G_TELEGRAM_TOKEN", options.token_file);
  if (!bot_token || bot_token->empty()) {
    throw Error(exit_code::k_config, "no bot token: set M2G_TELEGRAM_TOKEN or --token-file");
  }
  options.outbox.backoff.max_attempts = options.retries + 1;
  event::Loop loop;
  stage::IoOptions io_options = options.io;
  io_options.take_batch = std::min(io_options.take_batch, k_take_batch);
  io_options.max_output_buffer = std::min(io_options.max_output_buffer, k_max_output_buffer);
  stage::Io io(loop, io_options);
  http::ClientOptions client_options;
  client_options.max_inflight = options.outbox.max_inflight; // the outbox never asks for more
  // Bot API answers are a few hundred bytes (a Message object): curl's default 16 KiB receive
  // buffer per transfer would be most of each call's memory.
  client_options.buffer_size = k_receive_buffer;
  http::PlainClientOptions plain_options;
  plain_options.max_inflight = options.outbox.max_inflight;
  http::EitherClient client(loop, options.http_client, client_options, plain_options);
  HttpTransport transport(client, options.api_url, *bot_token, Millis(std::max<int64_t>(1, options.timeout_ms)));
  Outbox outbox(loop, transport, options.outbox);

  bool unauthorized = false;
  bool paused = false;
  bool drained = false;
  outbox.on_unauthorized = [&](const std::string& description) {
    log::error("Telegram refused the bot token (" + description + "): check M2G_TELEGRAM_TOKEN");
    unauthorized = true;
    io.shutdown();
  };
  outbox.on_progress = [&] {
    if (paused && outbox.backlog() < k_max_backlog / 2) {
      paused = false;
      io.resume();
    }
    io.check_done();
  };
  io.start(
      [&](jsonl::Line&& line, stage::Token token) {
        jsonl::Kind kind = line.kind();
        if (speaks_to_chat(kind) && !unauthorized) {
          if (auto job = read_job_line(line.raw(), kind)) {
            outbox.accept(std::move(*job));
          } else if (auto accepted = outbox.accept(line.json_value(), kind); !accepted.ok()) {
            io.reject(line, accepted.error()); // reported and kept, and still passed on
          }
          if (!paused && outbox.backlog() >= k_max_backlog) {
            paused = true;
            io.pause();
          }
        }
        io.pass(std::move(line), token);
      },
      [&] {
        if (!drained) {
          drained = true; // input is over: intermediate states of unfinished jobs are dropped
          outbox.drain();
        }
        return outbox.idle();
      });
  loop.run();
  log::info(summary(outbox.stats()));
  if (unauthorized) {
    return exit_code::k_noperm;
  }
  return io.exit_code();
}

} // namespace m2g::progress
