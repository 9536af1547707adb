#include "common/poll/run.hpp"

#include "common/cli/app.hpp"
#include "common/core/exit_codes.hpp"
#include "common/core/log.hpp"
#include "common/core/secret.hpp"
#include "common/event/loop.hpp"
#include "common/http/either_client.hpp"
#include "common/jsonl/reject.hpp"
#include "common/poll/poller.hpp"
#include "common/poll/sink.hpp"
#include "common/poll/webhook.hpp"
#include "common/telegram/api.hpp"

#include <csignal>
#include <cstdlib>
#include <unistd.h>

namespace m2g::poll {
namespace {

// Without a secret anyone who reaches the port writes into the notebook and marks update_ids
// as seen (so Telegram's real updates with those ids are dropped). A secret that reads as
// empty is a mistake, never a choice; running without one must be asked for by name.
std::optional<std::string> webhook_secret(const Options& o) {
  auto secret = read_secret("M2G_POLL_SECRET_TOKEN", o.secret_token_file);
  if (secret) {
    return secret;
  }
  if (!o.secret_token_file.empty()) {
    throw Error(exit_code::k_config, "the webhook secret file '" + o.secret_token_file +
                                         "' is empty: refusing to accept webhook requests without authentication");
  }
  if (std::getenv("M2G_POLL_SECRET_TOKEN") != nullptr) {
    throw Error(exit_code::k_config,
                "M2G_POLL_SECRET_TOKEN is set but empty: refusing to accept webhook requests without authentication");
  }
  if (!o.insecure_no_secret) {
    throw Error(exit_code::k_config,
                "webhook mode needs a secret (--secret-token-file or M2G_POLL_SECRET_TOKEN, the secret_token given "
                "to setWebhook); --insecure-no-secret accepts every request instead");
  }
  log::warn("no webhook secret (--insecure-no-secret): any client that reaches the port can inject updates");
  return std::nullopt;
}

int run_webhook(const Options& o, event::Loop& loop, Sink& sink, jsonl::RejectSink& rejects,
                telegram::NormalizeOptions normalize) {
  auto address = parse_listen_address(o.webhook).take_or_throw();
  WebhookOptions options;
  options.host = address.first;
  options.port = address.second;
  options.secret = webhook_secret(o);
  options.request_timeout = Millis(std::max<int64_t>(1, cli::parse_duration_ms(o.webhook_request_timeout)));
  options.max_connections = static_cast<size_t>(o.webhook_max_connections);
  options.max_connections_per_peer = static_cast<size_t>(o.webhook_max_connections_per_peer);
  WebhookReceiver receiver(loop, sink, rejects, options, normalize);
  receiver.listen().throw_if_failed();
  log::info("receiving webhook updates on " + options.host + ":" + std::to_string(receiver.port()) + " into " +
            sink.describe());
  int code = exit_code::k_ok;
  auto finished = [&](int exit_code) {
    code = exit_code;
    loop.stop();
  };
  loop.on_signal(SIGTERM, [&] { receiver.stop(exit_code::k_ok, finished); });
  loop.on_signal(SIGINT, [&] { receiver.stop(exit_code::k_sigint, finished); });
  loop.run();
  const auto& s = receiver.stats();
  log::info(std::to_string(s.requests) + " webhook requests: " + std::to_string(s.written) + " updates handed off, " +
            std::to_string(s.duplicates) + " duplicates, " + std::to_string(s.unauthorized) + " unauthorized, " +
            std::to_string(s.malformed) + " malformed, " + std::to_string(s.failed) + " failed");
  return code;
}

int run_poller(const Options& o, const std::string& token, event::Loop& loop, Sink& sink, jsonl::RejectSink& rejects,
               telegram::NormalizeOptions normalize) {
  // One getUpdates at a time (Telegram allows no more); a few slots for nothing else.
  http::ClientOptions client_options;
  client_options.max_inflight = 4;
  http::PlainClientOptions plain_options;
  plain_options.max_inflight = 4;
  http::EitherClient client(loop, o.http_client, client_options, plain_options);
  telegram::ApiOptions api_options;
  api_options.base_url = o.api_url;
  api_options.token = token;
  telegram::Api api(client, api_options);

  PollerOptions options;
  // For scripts and cron, --once asks without waiting unless a timeout was asked for.
  options.timeout_s = o.once && !o.timeout_given ? 0 : o.timeout_s;
  options.limit = o.limit;
  if (!o.allowed_updates.empty()) {
    options.allowed_updates = o.allowed_updates;
  }
  options.once = o.once;
  options.backoff.cap = Millis(std::max<int64_t>(1, cli::parse_duration_ms(o.max_backoff)));
  options.backoff.base = std::min(options.backoff.base, options.backoff.cap);
  Poller poller(loop, api, sink, rejects, options, normalize);

  int code = exit_code::k_ok;
  loop.on_signal(SIGTERM, [&] { poller.stop(exit_code::k_ok); });
  loop.on_signal(SIGINT, [&] { poller.stop(exit_code::k_sigint); });
  loop.defer([&] {
    poller.start([&](int exit_code) {
      code = exit_code;
      loop.stop();
    });
  });
  loop.run();
  const auto& s = poller.stats();
  log::info(std::to_string(s.polls) + " polls: " + std::to_string(s.updates) + " updates, " +
            std::to_string(s.written) + " handed off to " + sink.describe() + ", " + std::to_string(s.duplicates) +
            " duplicates, " + std::to_string(s.failures) + " failures retried");
  return code;
}

} // namespace

int run(const Options& o) {
  bool webhook = !o.webhook.empty();
  auto token = read_secret("M2G_TELEGRAM_TOKEN", o.token_file);
  if (!token && !webhook) {
    throw Error(exit_code::k_config, "no bot token: set M2G_TELEGRAM_TOKEN or --token-file");
  }
  int64_t bot_id = token ? telegram::bot_id_from_token(*token) : 0;

  SinkOptions sink_options;
  sink_options.out = o.out;
  sink_options.state_path = o.state;
  sink_options.state_given = o.state_given;
  sink_options.bot_id = bot_id;
  sink_options.sync = sqlite::parse_sync(o.sync).value_or(sqlite::Sync::full);
  sink_options.out_fd = STDOUT_FILENO;
  auto sink = open_sink(sink_options);
  jsonl::RejectSink rejects(o.reject_path);
  telegram::NormalizeOptions normalize;
  normalize.bot_id = bot_id;

  event::Loop loop;
  if (webhook) {
    return run_webhook(o, loop, *sink, rejects, normalize);
  }
  return run_poller(o, *token, loop, *sink, rejects, normalize);
}

} // namespace m2g::poll
