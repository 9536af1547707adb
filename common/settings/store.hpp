#pragma once
// Per-chat settings in SQLite: the repository and its sealed token, LLM on/off, the default
// target, time zone, custom files and photo size limit, and multi-user registration. m2g-route
// writes them; m2g-commit opens the same file read-only to find a chat's repository and token
// (decrypted with the same key file). Other tables of m2g-route (pending choices, statistics)
// may share the file.

#include "common/core/error.hpp"
#include "common/crypto/key.hpp"
#include "common/sqlite/db.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace m2g::settings {

/// One chat's settings; unset fields mean "the server's default".
struct ChatSettings {
  int64_t chat_id = 0;
  bool registered = false;               ///< sent /start (what multi-user mode requires)
  std::string repo_url;                  ///< empty: m2g-commit's default repository
  bool has_token = false;                ///< a sealed token is stored for repo_url
  std::optional<bool> llm;               ///< nullopt: on when an LLM is configured
  std::string default_target;            ///< "" (ask), a built-in target, or a custom file name
  std::string tz;                        ///< IANA name; "" means UTC
  std::optional<int64_t> photo_limit;    ///< bytes; nullopt: the server default
  std::vector<std::string> custom_files; ///< in the order they were added
};

class Store {
public:
  /// Open (and, unless read_only, create) the settings database. Read-only opening of a file
  /// that has no settings yet works and finds no chats.
  static Result<Store> open(const std::string& path, bool read_only = false);

  /// A chat's settings (defaults when the chat has none).
  Result<ChatSettings> get(int64_t chat_id);
  /// The chat's own repository URL, if it set one.
  Result<std::optional<std::string>> repo_for(int64_t chat_id);
  /// The chat's repository token, decrypted; nullopt when none is stored. Fails when the token
  /// does not open under `key` (another key, or an altered database).
  Result<std::optional<std::string>> decrypted_token(int64_t chat_id, const crypto::Key& key);

  /// Mark the chat registered (multi-user mode's /start).
  Result<void> set_registered(int64_t chat_id);
  /// Set the repository URL and drop any stored token (it belonged to the old URL).
  Result<void> set_repo(int64_t chat_id, const std::string& url);
  /// Set the repository URL with a token, sealed under `key` and bound to this chat.
  Result<void> set_repo_with_token(int64_t chat_id, const std::string& url, std::string_view token,
                                   const crypto::Key& key);
  /// Forget the repository and its token.
  Result<void> clear_repo(int64_t chat_id);
  Result<void> set_llm(int64_t chat_id, std::optional<bool> on);
  Result<void> set_default_target(int64_t chat_id, const std::string& target);
  Result<void> set_tz(int64_t chat_id, const std::string& tz);
  Result<void> set_photo_limit(int64_t chat_id, std::optional<int64_t> bytes);
  /// Add a custom file (already validated). False when it is already listed.
  Result<bool> add_custom_file(int64_t chat_id, const std::string& name);
  /// Remove a custom file from the list. False when it was not listed.
  Result<bool> remove_custom_file(int64_t chat_id, const std::string& name);

  /// The connection, for other tables kept in the same file.
  sqlite::Db& db() { return m_db; }
  bool read_only() const { return m_read_only; }

private:
  Store(sqlite::Db db, bool read_only, bool has_schema)
      : m_db(std::move(db)), m_read_only(read_only), m_has_schema(has_schema) {}
  Result<void> set_column(int64_t chat_id, const char* column, std::optional<std::string> text,
                          std::optional<int64_t> number);

  sqlite::Db m_db;
  bool m_read_only = false;
  bool m_has_schema = true;
};

/// What a chat's sealed token is bound to, so a value copied into another chat's row cannot
/// be opened there.
std::string token_binding(int64_t chat_id);

} // namespace m2g::settings
