#include "common/route/router.hpp"

#include "common/core/exit_codes.hpp"
#include "common/core/log.hpp"
#include "common/route/context.hpp"
#include "common/route/text.hpp"

namespace m2g::route {
namespace {

// Expired rows are kept as long again, so a late click still hears "expired", then purged.
constexpr int64_t k_purge_every_ms = 10 * 60'000;

void refuse(Context& ctx, Access::Verdict verdict) {
  const Update& u = ctx.u;
  bool must_register = verdict == Access::Verdict::must_register;
  if (u.callback) {
    // A click is always answered, or its button spins; answering stores nothing.
    ctx.out.answer(u.callback->id, must_register ? "Send /start first." : "This bot is not enabled for this chat.");
    return;
  }
  if (!ctx.s.access.first_refusal(u.chat_id)) {
    return;
  }
  if (must_register) {
    ctx.reply("👋 Send /start to begin using this bot.");
    return;
  }
  log::info("refused chat " + std::to_string(u.chat_id) + " (not in the allowed chats)");
  ctx.reply("🔒 Sorry, this bot is private and not enabled for this chat.\nIf you run it, add chat id <code>" +
            std::to_string(u.chat_id) + "</code> to M2G_ALLOWED_CHATS.");
}

// KiB of page cache for the settings database (see Router::open).
constexpr int k_settings_cache_kib = 512;

} // namespace

Router::Router(std::unique_ptr<Services> services) : m_s(std::move(services)) {}
Router::~Router() = default;

Result<std::unique_ptr<Router>> Router::open(const std::string& db_path, Config config, const Clock& clock) {
  auto store = settings::Store::open(db_path);
  if (!store) {
    return store.failure();
  }
  // A quarter of SQLite's 2 MB default page cache: each update reads one chat's few rows, and
  // 10,000 chats' worth of pages kept in the heap was ~1.4 MB of m2g-route's peak in
  // m2g-bench realistic-10k; a page that fell out is read back from the OS's cache.
  M2G_TRY(store->db().exec("PRAGMA cache_size=-" + std::to_string(k_settings_cache_kib)));
  auto pending = PendingStore::open(store->db(), clock);
  if (!pending) {
    return pending.failure();
  }
  auto stats = StatsStore::open(store->db());
  if (!stats) {
    return stats.failure();
  }
  Access access(config.allowed_chats, config.multi_user, config.shared_repo);
  ChatAdmins admins(config.chat_admins, clock);
  auto services = std::unique_ptr<Services>(new Services{std::move(config), &clock, std::move(*store), *pending, *stats,
                                                         std::move(access), std::move(admins), 0});
  // The stores point at the Db inside `store`; rebuild them now that it has its final address.
  services->pending = PendingStore::open(services->store.db(), clock).take_or_throw();
  services->stats = StatsStore::open(services->store.db()).take_or_throw();
  return std::unique_ptr<Router>(new Router(std::move(services)));
}

Result<void> Router::begin_batch() {
  return m_s->store.db().exec("BEGIN IMMEDIATE");
}

Result<void> Router::end_batch() {
  // A failure that rolled the transaction back on its own (a full disk) makes COMMIT fail
  // too: the caller then hands nothing on, and the updates are handled again.
  return m_s->store.db().exec("COMMIT");
}

bool Router::in_batch() const {
  return m_s->store.db().in_transaction();
}

Result<std::vector<nlohmann::json>> Router::handle(const nlohmann::json& line) {
  // One odd update (a field of an unexpected type deep inside) must not end the stage: it is
  // rejected like a malformed line and the next one is handled.
  try {
    return handle_update(line);
  } catch (const std::exception& e) {
    return fail(exit_code::k_dataerr, std::string("update could not be handled: ") + e.what());
  }
}

Result<std::vector<nlohmann::json>> Router::handle_update(const nlohmann::json& line) {
  auto parsed = parse_update(line);
  if (!parsed) {
    return parsed.failure();
  }
  const Update& u = *parsed;
  Output out(line);
  if (u.type == "other") {
    log::debug("ignored update " + u.id + " of type other");
    return std::move(out.lines());
  }
  int64_t now = m_s->clock->unix_ms();
  if (now - m_s->last_purge_ms >= k_purge_every_ms) {
    m_s->last_purge_ms = now;
    if (auto purged = m_s->pending.purge(now - 2 * m_s->config.pending_expiry_ms); !purged) {
      log::warn(purged.error());
    }
  }
  auto chat = m_s->store.get(u.chat_id);
  if (!chat) {
    log::error(chat.error());
    return std::move(out.lines()); // cannot even tell whether the chat is allowed: stay quiet
  }
  Context ctx{u, out, *chat, *m_s};

  std::optional<Command> command;
  if (u.is_message() && u.photo.is_null()) {
    command = parse_command(u.text);
    if (!command && !u.command.empty()) {
      command = parse_command("/" + u.command + " " + u.args);
    }
    if (command && !addressed_to(*command, m_s->config.bot_username)) {
      return std::move(out.lines()); // "/todo@OtherBot" in a group is another bot's
    }
  }

  auto verdict = m_s->access.check(u.chat_id, chat->registered);
  if (verdict != Access::Verdict::allowed &&
      !(verdict == Access::Verdict::must_register && command && command->name == "start")) {
    refuse(ctx, verdict);
    return std::move(out.lines());
  }

  if (u.callback) {
    on_callback(ctx);
  } else if (u.is_edit()) {
    on_edit(ctx);
  } else if (command) {
    on_command(ctx, *command);
  } else {
    on_content(ctx);
  }
  return std::move(out.lines());
}

void on_content(Context& ctx) {
  const Update& u = ctx.u;
  if (!u.photo.is_null()) {
    on_message(ctx);
  } else if (!u.media_kind.empty()) {
    std::string kind = u.media_kind == "video_note" ? "video message" : u.media_kind;
    ctx.reply("📎 Sorry, " + kind +
              " messages are not supported yet: nothing was filed. Send text or a photo (a caption is filed with it).");
  } else if (!trim(u.text).empty()) {
    on_message(ctx);
  } else {
    log::debug("ignored update " + u.id + ": a message without text or media");
  }
}

void store_failed(Context& ctx, const Failure& failure) {
  log::error(failure.message);
  if (ctx.u.callback) {
    ctx.out.answer(ctx.u.callback->id, "⚠️ Internal error, please try again.");
    return;
  }
  ctx.reply("⚠️ Sorry, something went wrong on my side (the settings database failed). Please try again.");
}

} // namespace m2g::route
