#include "common/fake/telegram/command.hpp"

#include "common/cli/app.hpp"
#include "common/core/exit_codes.hpp"
#include "common/core/log.hpp"
#include "common/core/secret.hpp"
#include "common/event/loop.hpp"
#include "common/fake/telegram/server.hpp"
#include "common/telegram/normalize.hpp"

#include <csignal>
#include <cstdio>
#include <memory>
#include <vector>

namespace m2g::fake::telegram {
namespace {

struct Options {
  std::string host = "127.0.0.1";
  int port = 0;
  std::string token;
  std::string token_file;
  std::string username = "m2g_fake_bot";
  std::vector<std::string> latency;
  double fail_rate = 0;
  double drop_rate = 0;
  uint64_t seed = 1;
  int64_t first_update_id = 1;
  SendLimits limits;
};

// "sendMessage=200ms" → ("sendmessage", 200ms).
std::pair<std::string, Millis> parse_latency(const std::string& text) {
  auto eq = text.find('=');
  if (eq == std::string::npos || eq == 0) {
    throw Error(exit_code::k_usage, "--latency '" + text + "': expected METHOD=DURATION (e.g. sendMessage=200ms)");
  }
  try {
    return {lower(text.substr(0, eq)), Millis(cli::parse_duration_ms(text.substr(eq + 1), 1))};
  } catch (const std::exception& e) {
    throw Error(exit_code::k_usage, "--latency '" + text + "': " + e.what());
  }
}

int run(const Options& options) {
  ServerConfig config;
  config.host = options.host;
  config.port = options.port;
  config.fail_rate = options.fail_rate;
  config.drop_rate = options.drop_rate;
  config.seed = options.seed;
  if (!options.token_file.empty() || options.token.empty()) {
    config.token = read_secret("M2G_FAKE_TELEGRAM_TOKEN", options.token_file).value_or("");
  } else {
    config.token = options.token;
  }
  for (const auto& text : options.latency) {
    config.latency.insert(parse_latency(text));
  }
  BotConfig bot_config;
  bot_config.username = options.username;
  bot_config.limits = options.limits;
  bot_config.first_update_id = options.first_update_id;
  if (int64_t id = m2g::telegram::bot_id_from_token(config.token); id != 0) {
    bot_config.bot_id = id;
  }

  event::Loop loop;
  Bot bot(bot_config, loop.clock());
  FakeServer server(loop, bot, config);
  if (auto listening = server.listen(); !listening.ok()) {
    throw Error(exit_code::k_unavailable,
                "cannot listen on " + options.host + ":" + std::to_string(options.port) + ": " + listening.error());
  }
  // Scripts read the chosen port from the first line of stdout.
  std::printf("%d\n", server.port());
  std::fflush(stdout);
  log::info("fake Telegram Bot API on http://" + options.host + ":" + std::to_string(server.port()) +
            (config.token.empty() ? " (any token)" : ""));
  int code = exit_code::k_ok;
  auto stop = [&](int exit_code) {
    code = exit_code;
    server.close();
    loop.stop();
  };
  loop.on_signal(SIGTERM, [&] { stop(exit_code::k_ok); });
  loop.on_signal(SIGINT, [&] { stop(exit_code::k_sigint); });
  loop.run();
  return code;
}

} // namespace

void add_telegram_command(CLI::App& fake_command, FakeMain& chosen) {
  auto options = std::make_shared<Options>();
  auto* sub =
      fake_command.add_subcommand("telegram", "Fake Telegram Bot API (getUpdates, sendMessage, ... + /control/)");
  sub->add_option("--host", options->host, "Address to listen on")
      ->envname("M2G_FAKE_TELEGRAM_HOST")
      ->capture_default_str();
  sub->add_option("--port", options->port, "Port to listen on (0: any free port); the port is printed on stdout")
      ->envname("M2G_FAKE_TELEGRAM_PORT")
      ->capture_default_str();
  sub->add_option("--token", options->token, "The one bot token accepted (a test token; default: any well-formed one)");
  sub->add_option("--token-file", options->token_file, "Read the accepted token from FILE")
      ->envname("M2G_FAKE_TELEGRAM_TOKEN_FILE");
  sub->add_option("--bot-username", options->username, "Username getMe reports")
      ->envname("M2G_FAKE_TELEGRAM_BOT_USERNAME")
      ->capture_default_str();
  sub->add_option("--latency", options->latency,
                  "Delay answers of METHOD (repeatable; '*' for all), e.g. sendMessage=200ms")
      ->envname("M2G_FAKE_TELEGRAM_LATENCY");
  sub->add_option("--fail-rate", options->fail_rate, "Share of Bot API calls answered 500 (0 to 1)")
      ->check(CLI::Range(0.0, 1.0))
      ->envname("M2G_FAKE_TELEGRAM_FAIL_RATE")
      ->capture_default_str();
  sub->add_option("--drop-rate", options->drop_rate, "Share of Bot API calls whose connection is dropped (0 to 1)")
      ->check(CLI::Range(0.0, 1.0))
      ->envname("M2G_FAKE_TELEGRAM_DROP_RATE")
      ->capture_default_str();
  sub->add_option("--seed", options->seed, "Seed of the fault dice")
      ->envname("M2G_FAKE_TELEGRAM_SEED")
      ->capture_default_str();
  sub->add_option("--first-update-id", options->first_update_id, "update_id of the first update")
      ->envname("M2G_FAKE_TELEGRAM_FIRST_UPDATE_ID")
      ->capture_default_str();
  sub->add_option("--global-rate", options->limits.global_rate, "Messages per second over all chats (0: unlimited)")
      ->envname("M2G_FAKE_TELEGRAM_GLOBAL_RATE")
      ->capture_default_str();
  sub->add_option("--global-burst", options->limits.global_burst, "Burst over all chats")
      ->envname("M2G_FAKE_TELEGRAM_GLOBAL_BURST")
      ->capture_default_str();
  sub->add_option("--chat-rate", options->limits.chat_rate, "Messages per second per private chat (0: unlimited)")
      ->envname("M2G_FAKE_TELEGRAM_CHAT_RATE")
      ->capture_default_str();
  sub->add_option("--chat-burst", options->limits.chat_burst, "Burst per chat")
      ->envname("M2G_FAKE_TELEGRAM_CHAT_BURST")
      ->capture_default_str();
  sub->add_option("--group-per-minute", options->limits.group_per_minute,
                  "Messages per minute per group chat (0: unlimited)")
      ->envname("M2G_FAKE_TELEGRAM_GROUP_PER_MINUTE")
      ->capture_default_str();
  sub->callback([options, &chosen] { chosen = [options] { return run(*options); }; });
}

} // namespace m2g::fake::telegram
