#include "common/commit/settings_tokens.hpp"

#include "common/commit/remote.hpp"
#include "common/core/log.hpp"

#include <filesystem>

namespace m2g::commit {

Result<std::unique_ptr<SettingsTokenSource>>
SettingsTokenSource::open(const std::string& db_path, const std::string& key_file, TokenSource& fallback) {
  auto key = crypto::load_key_file(key_file);
  if (!key.ok()) {
    return key.failure();
  }
  std::optional<settings::Store> opened;
  std::error_code ec;
  if (std::filesystem::exists(db_path, ec)) {
    auto store = settings::Store::open(db_path, true);
    if (!store.ok()) {
      return store.failure();
    }
    opened.emplace(std::move(store.value()));
  } else {
    log::debug("'" + db_path + "' does not exist yet: opened when a chat's own token is needed");
  }
  return std::unique_ptr<SettingsTokenSource>(
      new SettingsTokenSource(db_path, std::move(opened), std::move(key.value()), fallback));
}

std::optional<std::string> SettingsTokenSource::token_for(const std::string& repo_url, int64_t chat_id, bool per_chat) {
  if (!per_chat) {
    return m_fallback.token_for(repo_url, chat_id, per_chat);
  }
  if (!m_store) {
    auto store = settings::Store::open(m_db_path, true);
    if (!store.ok()) {
      log::warn("chat " + std::to_string(chat_id) + ": " + store.error());
      return std::nullopt;
    }
    m_store.emplace(std::move(store.value()));
  }
  // The token was stored for the URL the chat set: never hand it to another repository.
  auto repo = m_store->repo_for(chat_id);
  if (!repo.ok() || !repo.value() || canonical_url(*repo.value()) != repo_url) {
    log::warn("chat " + std::to_string(chat_id) + ": no stored token for this repository");
    return std::nullopt;
  }
  auto token = m_store->decrypted_token(chat_id, m_key);
  if (!token.ok()) {
    log::warn("chat " + std::to_string(chat_id) + ": " + token.error());
    return std::nullopt;
  }
  if (token.value()) {
    log::add_secret(*token.value());
  }
  return token.value();
}

} // namespace m2g::commit
