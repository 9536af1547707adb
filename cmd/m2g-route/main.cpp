// m2g-route: updates in; jobs, Telegram actions and progress events out (see man/m2g-route.1).
#include "common/cli/app.hpp"
#include "common/core/exit_codes.hpp"
#include "common/core/log.hpp"
#include "common/core/secret.hpp"
#include "common/crypto/instance_key.hpp"
#include "common/event/loop.hpp"
#include "common/route/router.hpp"
#include "common/stage/io.hpp"

#include <cstdlib>

namespace {

std::string default_db() {
  const char* dir = std::getenv("M2G_DATA_DIR");
  return dir && *dir ? std::string(dir) + "/route.db" : "route.db";
}

} // namespace

int main(int argc, char** argv) {
  using namespace m2g;
  stage::IoOptions io_options;
  std::string db = default_db();
  std::string key_file;
  std::string allowed;
  bool multi_user = false;
  bool shared_repo = false;
  std::string admin_chats;
  bool llm_configured = false;
  std::string expiry = "24h";
  int64_t photo_limit_mb = 20;
  std::string bot_username;
  size_t max_custom_files = 10;
  std::string telegram_api = "https://api.telegram.org";
  std::string telegram_token_file;

  auto define = [&](CLI::App& app) {
    stage::add_io_options(app, io_options, "ROUTE");
    app.add_option("--db", db, "Settings, pending choices and usage figures (SQLite; default $M2G_DATA_DIR/route.db)")
        ->envname("M2G_ROUTE_DB");
    app.add_option("--key-file", key_file, "Key that encrypts repository tokens: 32 raw bytes or 64 hex characters")
        ->envname("M2G_KEY_FILE");
    app.add_option("--allowed-chats", allowed, "Comma-separated chat ids to serve")->envname("M2G_ALLOWED_CHATS");
    app.add_flag("--multi-user", multi_user, "Also serve any chat that registers with /start")
        ->envname("M2G_ROUTE_MULTI_USER");
    app.add_flag("--multi-user-shared-repo", shared_repo,
                 "Multi-user: chats without their own /repo file into the default repository")
        ->envname("M2G_MULTI_USER_SHARED_REPO");
    app.add_option("--admin-chats", admin_chats,
                   "Comma-separated chat ids that see every chat's /stats (default: --allowed-chats)")
        ->envname("M2G_ADMIN_CHATS");
    app.add_flag("--llm-configured", llm_configured,
                 "An LLM stage is in the pipeline: /llm defaults to on (also when M2G_LLM_BASE_URL is set)")
        ->envname("M2G_ROUTE_LLM_CONFIGURED");
    app.add_option("--pending-expiry", expiry, "How long a message waits for a choice")
        ->check(cli::duration_validator())
        ->envname("M2G_ROUTE_PENDING_EXPIRY")
        ->capture_default_str();
    app.add_option("--photo-limit", photo_limit_mb, "Largest photo accepted, in MB (a chat may lower it)")
        ->check(CLI::Range(1, 20))
        ->envname("M2G_ROUTE_PHOTO_LIMIT")
        ->capture_default_str();
    app.add_option("--bot-username", bot_username, "Ignore commands addressed to other bots (/cmd@OtherBot)")
        ->envname("M2G_ROUTE_BOT_USERNAME");
    app.add_option("--max-custom-files", max_custom_files, "Custom files a chat may add")
        ->check(CLI::Range(0, 50))
        ->envname("M2G_ROUTE_MAX_CUSTOM_FILES")
        ->capture_default_str();
    app.add_option("--telegram-api", telegram_api, "Bot API server URL (getChatMember: group administrators)")
        ->envname("M2G_TELEGRAM_API_URL")
        ->capture_default_str();
    app.add_option("--telegram-token-file", telegram_token_file,
                   "Read the bot token from FILE (else M2G_TELEGRAM_TOKEN)")
        ->envname("M2G_TELEGRAM_TOKEN_FILE");
  };

  auto run = [&](CLI::App&) {
    route::Config config;
    config.allowed_chats = route::parse_chat_list(allowed).take_or_throw();
    config.multi_user = multi_user;
    config.shared_repo = shared_repo;
    config.admin_chats =
        admin_chats.empty() ? config.allowed_chats : route::parse_chat_list(admin_chats).take_or_throw();
    const char* llm_url = std::getenv("M2G_LLM_BASE_URL");
    config.llm_configured = llm_configured || (llm_url && *llm_url);
    config.pending_expiry_ms = cli::parse_duration_ms(expiry);
    config.photo_limit_bytes = photo_limit_mb << 20;
    config.bot_username = bot_username;
    config.max_custom_files = max_custom_files;
    config.chat_admins.api_url = telegram_api;
    config.chat_admins.token = read_secret("M2G_TELEGRAM_TOKEN", telegram_token_file);
    if (!config.chat_admins.token || config.chat_admins.token->empty()) {
      log::info("no bot token (M2G_TELEGRAM_TOKEN, --telegram-token-file): in groups, /repo and /customfile "
                "remove are refused, as group administrators cannot be recognised");
    }
    if (!key_file.empty()) {
      config.key = crypto::load_key_file(key_file).take_or_throw();
    } else {
      log::info("no key file (--key-file, M2G_KEY_FILE): repository tokens sent in chats will be refused");
    }
    // Done and close buttons are signed by m2g-commit and checked here under the same key.
    const char* data_dir = std::getenv("M2G_DATA_DIR");
    if (config.key) {
      config.instance_key = config.key;
    } else if (auto generated = crypto::instance_key("", data_dir ? data_dir : ""); generated) {
      config.instance_key = *generated;
    } else {
      log::warn(generated.error());
    }
    if (!config.instance_key) {
      log::info("no key file and no M2G_DATA_DIR for an instance key: TODO done and issue close buttons are refused");
    }
    if (config.allowed_chats.empty() && !multi_user) {
      log::warn("no allowed chats (--allowed-chats, M2G_ALLOWED_CHATS) and not --multi-user: every chat is refused");
    }
    auto router = route::Router::open(db, std::move(config), SystemClock::instance()).take_or_throw();

    event::Loop loop;
    stage::Io io(loop, io_options);
    // The updates of one loop round share a transaction, committed before their lines leave.
    io.before_handoff([&] {
      if (router->in_batch()) {
        router->end_batch().throw_if_failed();
      }
    });
    io.start(
        [&](jsonl::Line&& line, stage::Token token) {
          if (line.kind() != jsonl::Kind::update) {
            io.pass(std::move(line), token);
            return;
          }
          if (!router->in_batch()) {
            router->begin_batch().throw_if_failed();
          }
          auto lines = router->handle(line.json_value());
          if (!lines) {
            io.reject(line, lines.error());
            io.finish(token, {});
            return;
          }
          std::vector<std::string> out;
          out.reserve(lines->size());
          for (const auto& value : *lines) {
            out.push_back(jsonl::dump(value));
          }
          io.finish(token, std::move(out));
        },
        [] { return true; });
    loop.run();
    int code = io.exit_code();
    return code == exit_code::k_ok && io.rejected() > 0 ? exit_code::k_rejected : code;
  };
  return cli::main_wrapper(argc, argv, "m2g-route: file Telegram messages as jobs; answer commands", define, run);
}
