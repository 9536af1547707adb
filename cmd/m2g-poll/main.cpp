// m2g-poll: Telegram updates in, one contract "update" line per update out (man/m2g-poll.1).
#include "common/cli/app.hpp"
#include "common/poll/run.hpp"

int main(int argc, char** argv) {
  m2g::poll::Options o;
  auto define = [&](CLI::App& app) {
    app.add_option("--api-url", o.api_url, "Bot API server (a local telegram-bot-api server or a fake)")
        ->envname("M2G_TELEGRAM_API_URL")
        ->capture_default_str();
    app.add_option("--token-file", o.token_file, "Read the bot token from FILE (else M2G_TELEGRAM_TOKEN)")
        ->envname("M2G_TELEGRAM_TOKEN_FILE");
    m2g::cli::add_http_client_option(app, o.http_client, "M2G_POLL_HTTP_CLIENT");
    app.add_option("--out", o.out, "Where lines go: - (stdout) or sqlite:DB#TOPIC (exactly once)")
        ->envname("M2G_POLL_OUT")
        ->capture_default_str();
    app.add_option("--state", o.state,
                   "State database for pipe output (default $M2G_DATA_DIR/poll.db or ./poll-state.db)")
        ->envname("M2G_POLL_STATE");
    app.add_option("--timeout", o.timeout_s, "Long-poll timeout of getUpdates in seconds (0: short polls)")
        ->check(CLI::Range(0, 600))
        ->envname("M2G_POLL_TIMEOUT")
        ->capture_default_str();
    app.add_option("--limit", o.limit, "Updates per getUpdates call (1-100)")
        ->check(CLI::Range(1, 100))
        ->envname("M2G_POLL_LIMIT")
        ->capture_default_str();
    app.add_option("--allowed-updates", o.allowed_updates,
                   "Update kinds to receive, comma-separated (e.g. message,callback_query)")
        ->delimiter(',')
        ->envname("M2G_POLL_ALLOWED_UPDATES");
    app.add_flag("--once", o.once, "Poll once (no long-poll wait unless --timeout is given), hand off, exit")
        ->envname("M2G_POLL_ONCE");
    app.add_option("--webhook", o.webhook,
                   "Receive updates as webhook POSTs on ADDR:PORT instead of polling (:PORT is 127.0.0.1; "
                   "0.0.0.0:PORT listens on every address)")
        ->envname("M2G_POLL_WEBHOOK");
    app.add_option("--secret-token-file", o.secret_token_file,
                   "Webhook: the X-Telegram-Bot-Api-Secret-Token to require, from FILE (else M2G_POLL_SECRET_TOKEN)")
        ->envname("M2G_POLL_SECRET_TOKEN_FILE");
    app.add_flag("--insecure-no-secret", o.insecure_no_secret,
                 "Webhook: accept requests without a secret (anyone reaching the port can inject updates)")
        ->envname("M2G_POLL_INSECURE_NO_SECRET");
    app.add_option("--webhook-request-timeout", o.webhook_request_timeout,
                   "Webhook: a request's head and body must arrive within this, or it is answered 408 and closed")
        ->check(m2g::cli::duration_validator())
        ->envname("M2G_POLL_WEBHOOK_REQUEST_TIMEOUT")
        ->capture_default_str();
    app.add_option("--webhook-max-connections", o.webhook_max_connections,
                   "Webhook: open connections at most (more wait to be accepted)")
        ->check(CLI::Range(1, 1000000))
        ->envname("M2G_POLL_WEBHOOK_MAX_CONNECTIONS")
        ->capture_default_str();
    app.add_option("--webhook-max-connections-per-peer", o.webhook_max_connections_per_peer,
                   "Webhook: open connections from one address at most (more are closed at once)")
        ->check(CLI::Range(1, 1000000))
        ->envname("M2G_POLL_WEBHOOK_MAX_CONNECTIONS_PER_PEER")
        ->capture_default_str();
    app.add_option("--reject", o.reject_path, "Append updates that cannot be read (no update_id) to FILE")
        ->envname("M2G_POLL_REJECT");
    app.add_option("--sync", o.sync,
                   "SQLite synchronous level: full (survives power loss) or normal (survives crashes)")
        ->check(CLI::IsMember({"full", "normal"}))
        ->envname("M2G_POLL_SYNC")
        ->capture_default_str();
    app.add_option("--max-backoff", o.max_backoff, "Longest wait between retries after errors")
        ->check(m2g::cli::duration_validator())
        ->envname("M2G_POLL_MAX_BACKOFF")
        ->capture_default_str();
  };
  auto run = [&](CLI::App& app) {
    o.timeout_given = app.count("--timeout") > 0 || std::getenv("M2G_POLL_TIMEOUT") != nullptr;
    o.state_given = !o.state.empty();
    return m2g::poll::run(o);
  };
  return m2g::cli::main_wrapper(argc, argv, "m2g-poll: Telegram updates (long polling or webhook) as m2g update lines",
                                define, run);
}
