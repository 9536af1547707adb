#pragma once
// Per-chat tokens from m2g-route's settings database: a chat that set its own repository with
// a token (/repo URL TOKEN) has it stored there, sealed with AES-256-GCM under the key file.
// m2g-commit opens the database read-only and unseals a chat's token only for the repository
// that chat set; every other request falls back to the default repository's token rule.

#include "common/commit/backend.hpp"
#include "common/crypto/key.hpp"
#include "common/settings/store.hpp"

#include <memory>
#include <optional>

namespace m2g::commit {

class SettingsTokenSource final : public TokenSource {
public:
  /// Open `db_path` read-only with the key of `key_file`; `fallback` answers for the default
  /// repository. Fails when the key cannot be read, or the database exists and cannot be
  /// opened. A database not created yet (m2g-route, starting beside this stage, creates it) is
  /// opened when the first per-chat token is asked for.
  static Result<std::unique_ptr<SettingsTokenSource>> open(const std::string& db_path, const std::string& key_file,
                                                           TokenSource& fallback);
  std::optional<std::string> token_for(const std::string& repo_url, int64_t chat_id, bool per_chat) override;

private:
  SettingsTokenSource(std::string db_path, std::optional<settings::Store> store, crypto::Key key, TokenSource& fallback)
      : m_db_path(std::move(db_path)), m_store(std::move(store)), m_key(std::move(key)), m_fallback(fallback) {}
  std::string m_db_path;
  std::optional<settings::Store> m_store;
  crypto::Key m_key;
  TokenSource& m_fallback;
};

} // namespace m2g::commit
