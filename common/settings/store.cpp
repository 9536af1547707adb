#include "common/settings/store.hpp"

#include "common/core/clock.hpp"
#include "common/core/exit_codes.hpp"
#include "common/crypto/aead.hpp"

#include <openssl/crypto.h>

namespace m2g::settings {
namespace {

// The token column holds crypto::seal output only; a plaintext token never reaches the file.
constexpr const char* k_schema = R"sql(
CREATE TABLE IF NOT EXISTS chat_settings (
  chat_id INTEGER PRIMARY KEY,
  registered INTEGER NOT NULL DEFAULT 0,
  repo_url TEXT,
  repo_token TEXT,
  llm INTEGER,
  default_target TEXT,
  tz TEXT,
  photo_limit INTEGER,
  updated_ms INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS custom_files (
  chat_id INTEGER NOT NULL,
  name TEXT NOT NULL,
  added_ms INTEGER NOT NULL,
  PRIMARY KEY (chat_id, name)
);
)sql";

int64_t now_ms() {
  return SystemClock::instance().unix_ms();
}

} // namespace

std::string token_binding(int64_t chat_id) {
  return "m2g repo token for chat " + std::to_string(chat_id);
}

Result<Store> Store::open(const std::string& path, bool read_only) {
  sqlite::OpenOptions options;
  options.read_only = read_only;
  options.sync = sqlite::Sync::normal;
  auto db = sqlite::Db::open(path, options);
  if (!db) {
    return db.failure();
  }
  if (!read_only) {
    M2G_TRY(db->exec(k_schema));
    return Store(std::move(*db), false, true);
  }
  auto check = db->prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'chat_settings'");
  if (!check) {
    return check.failure();
  }
  auto found = check->step();
  if (!found) {
    return found.failure();
  }
  bool has_schema = *found;
  check->reset();
  return Store(std::move(*db), true, has_schema);
}

Result<ChatSettings> Store::get(int64_t chat_id) {
  ChatSettings out;
  out.chat_id = chat_id;
  if (!m_has_schema) {
    return out;
  }
  auto row = m_db.prepare("SELECT registered, repo_url, repo_token IS NOT NULL, llm, default_target, tz, photo_limit "
                          "FROM chat_settings WHERE chat_id = ?");
  if (!row) {
    return row.failure();
  }
  row->bind(1, chat_id);
  auto found = row->step();
  if (!found) {
    return found.failure();
  }
  if (*found) {
    out.registered = row->column_int64(0) != 0;
    out.repo_url = std::string(row->column_text(1));
    out.has_token = row->column_int64(2) != 0;
    if (!row->column_is_null(3)) {
      out.llm = row->column_int64(3) != 0;
    }
    out.default_target = std::string(row->column_text(4));
    out.tz = std::string(row->column_text(5));
    if (!row->column_is_null(6)) {
      out.photo_limit = row->column_int64(6);
    }
  }
  auto files = m_db.prepare("SELECT name FROM custom_files WHERE chat_id = ? ORDER BY added_ms, rowid");
  if (!files) {
    return files.failure();
  }
  files->bind(1, chat_id);
  for (;;) {
    auto more = files->step();
    if (!more) {
      return more.failure();
    }
    if (!*more) {
      break;
    }
    out.custom_files.emplace_back(files->column_text(0));
  }
  return out;
}

Result<std::optional<std::string>> Store::repo_for(int64_t chat_id) {
  auto chat = get(chat_id);
  if (!chat) {
    return chat.failure();
  }
  if (chat->repo_url.empty()) {
    return std::optional<std::string>();
  }
  return std::optional<std::string>(chat->repo_url);
}

Result<std::optional<std::string>> Store::decrypted_token(int64_t chat_id, const crypto::Key& key) {
  if (!m_has_schema) {
    return std::optional<std::string>();
  }
  auto row = m_db.prepare("SELECT repo_token FROM chat_settings WHERE chat_id = ? AND repo_token IS NOT NULL");
  if (!row) {
    return row.failure();
  }
  row->bind(1, chat_id);
  auto found = row->step();
  if (!found) {
    return found.failure();
  }
  if (!*found) {
    return std::optional<std::string>();
  }
  auto token = crypto::open(key, row->column_text(0), token_binding(chat_id));
  if (!token) {
    return fail(token.failure().exit_code, "stored token of chat " + std::to_string(chat_id) + ": " + token.error());
  }
  return std::optional<std::string>(std::move(*token));
}

Result<void> Store::set_column(int64_t chat_id, const char* column, std::optional<std::string> text,
                               std::optional<int64_t> number) {
  if (m_read_only) {
    return fail(exit_code::k_software, "settings database is open read-only");
  }
  // `column` is always one of this file's literals, never input.
  std::string sql = std::string("INSERT INTO chat_settings (chat_id, ") + column +
                    ", updated_ms) VALUES (?, ?, ?) ON CONFLICT (chat_id) DO UPDATE SET " + column + " = excluded." +
                    column + ", updated_ms = excluded.updated_ms";
  auto stmt = m_db.prepare(sql);
  if (!stmt) {
    return stmt.failure();
  }
  stmt->bind(1, chat_id);
  if (text) {
    stmt->bind(2, *text);
  } else if (number) {
    stmt->bind(2, *number);
  } else {
    stmt->bind_null(2);
  }
  stmt->bind(3, now_ms());
  return stmt->run();
}

Result<void> Store::set_registered(int64_t chat_id) {
  return set_column(chat_id, "registered", std::nullopt, 1);
}

Result<void> Store::set_repo(int64_t chat_id, const std::string& url) {
  auto tx = sqlite::Transaction::begin(m_db);
  if (!tx) {
    return tx.failure();
  }
  M2G_TRY(set_column(chat_id, "repo_url", url, std::nullopt));
  M2G_TRY(set_column(chat_id, "repo_token", std::nullopt, std::nullopt));
  return tx->commit();
}

Result<void> Store::set_repo_with_token(int64_t chat_id, const std::string& url, std::string_view token,
                                        const crypto::Key& key) {
  auto sealed = crypto::seal(key, token, token_binding(chat_id));
  if (!sealed) {
    return sealed.failure();
  }
  auto tx = sqlite::Transaction::begin(m_db);
  if (!tx) {
    return tx.failure();
  }
  M2G_TRY(set_column(chat_id, "repo_url", url, std::nullopt));
  M2G_TRY(set_column(chat_id, "repo_token", *sealed, std::nullopt));
  return tx->commit();
}

Result<void> Store::clear_repo(int64_t chat_id) {
  auto tx = sqlite::Transaction::begin(m_db);
  if (!tx) {
    return tx.failure();
  }
  M2G_TRY(set_column(chat_id, "repo_url", std::nullopt, std::nullopt));
  M2G_TRY(set_column(chat_id, "repo_token", std::nullopt, std::nullopt));
  return tx->commit();
}

Result<void> Store::set_llm(int64_t chat_id, std::optional<bool> on) {
  return set_column(chat_id, "llm", std::nullopt, on ? std::optional<int64_t>(*on ? 1 : 0) : std::nullopt);
}

Result<void> Store::set_default_target(int64_t chat_id, const std::string& target) {
  return set_column(chat_id, "default_target", target.empty() ? std::nullopt : std::optional(target), std::nullopt);
}

Result<void> Store::set_tz(int64_t chat_id, const std::string& tz) {
  return set_column(chat_id, "tz", tz.empty() ? std::nullopt : std::optional(tz), std::nullopt);
}

Result<void> Store::set_photo_limit(int64_t chat_id, std::optional<int64_t> bytes) {
  return set_column(chat_id, "photo_limit", std::nullopt, bytes);
}

Result<bool> Store::add_custom_file(int64_t chat_id, const std::string& name) {
  if (m_read_only) {
    return fail(exit_code::k_software, "settings database is open read-only");
  }
  auto stmt = m_db.prepare("INSERT OR IGNORE INTO custom_files (chat_id, name, added_ms) VALUES (?, ?, ?)");
  if (!stmt) {
    return stmt.failure();
  }
  stmt->bind(1, chat_id).bind(2, name).bind(3, now_ms());
  M2G_TRY(stmt->run());
  return m_db.changes() > 0;
}

Result<bool> Store::remove_custom_file(int64_t chat_id, const std::string& name) {
  if (m_read_only) {
    return fail(exit_code::k_software, "settings database is open read-only");
  }
  auto stmt = m_db.prepare("DELETE FROM custom_files WHERE chat_id = ? AND name = ?");
  if (!stmt) {
    return stmt.failure();
  }
  stmt->bind(1, chat_id).bind(2, name);
  M2G_TRY(stmt->run());
  return m_db.changes() > 0;
}

} // namespace m2g::settings
