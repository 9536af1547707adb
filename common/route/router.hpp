#pragma once
// m2g-route's logic: one update line in, the lines it causes out (jobs for the repository
// stages, Telegram actions and progress events for m2g-progress). It never talks to Telegram.
// Everything it remembers (per-chat settings, pending choices, usage figures) is in one SQLite
// file, written synchronously, so the work per update is done when handle() returns.

#include "common/core/clock.hpp"
#include "common/core/error.hpp"
#include "common/crypto/key.hpp"
#include "common/route/access.hpp"
#include "common/route/chat_admins.hpp"
#include "common/route/pending.hpp"
#include "common/route/stats.hpp"
#include "common/settings/store.hpp"

#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <unordered_set>
#include <vector>

namespace m2g::route {

struct Config {
  std::unordered_set<int64_t> allowed_chats;
  bool multi_user = false;
  /// An LLM is available downstream: /llm is on by default.
  bool llm_configured = false;
  /// A choice not made within this time expires.
  int64_t pending_expiry_ms = 24 * 3'600'000LL;
  /// Default largest photo (a chat may lower it with /photolimit). Telegram lets bots download
  /// 20 MB at most.
  int64_t photo_limit_bytes = 20LL << 20;
  /// The bot's username: a command addressed to another bot ("/todo@OtherBot") is ignored.
  std::string bot_username;
  size_t max_custom_files = 10;
  /// The key that seals repository tokens; without one, tokens are refused.
  std::optional<crypto::Key> key;
  /// The instance key (crypto/instance_key.hpp) that signs done and close buttons; without one,
  /// such clicks are refused.
  std::optional<crypto::Key> instance_key;
  /// Multi-user mode: chats without their own /repo may file into the default repository
  /// (M2G_MULTI_USER_SHARED_REPO). Off: only the allowed chats use it.
  bool shared_repo = false;
  /// Chats that see every chat's figures in /stats (default: the allowed chats).
  std::unordered_set<int64_t> admin_chats;
  /// How a group administrator is recognised (getChatMember); without a bot token, group
  /// members cannot change the group's repository or remove its custom files.
  ChatAdminsOptions chat_admins;
};

class Router {
public:
  /// Open (create) the database at `db_path`. `clock` must outlive the router.
  static Result<std::unique_ptr<Router>> open(const std::string& db_path, Config config, const Clock& clock);

  /// Handle one update line. Fails, with the reason, on an update that breaks the contract
  /// (the caller rejects it); store failures are answered in the chat and logged.
  Result<std::vector<nlohmann::json>> handle(const nlohmann::json& update);

  /// Group the store writes of the updates handled from now on into one transaction, until
  /// end_batch() commits them (one lock and one sync instead of several per update). The
  /// lines those updates produced must not be handed on before end_batch() succeeded.
  Result<void> begin_batch();
  Result<void> end_batch();
  bool in_batch() const;

  /// Services shared by the handlers (common/route/context.hpp).
  struct Services;

  ~Router();

private:
  explicit Router(std::unique_ptr<Services> services);
  Result<std::vector<nlohmann::json>> handle_update(const nlohmann::json& update);
  std::unique_ptr<Services> m_s;
};

} // namespace m2g::route
