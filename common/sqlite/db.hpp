#pragma once
// A narrow RAII wrapper over the SQLite C API: open with the pragmas every m2g database uses
// (WAL, busy timeout, chosen synchronous level), prepared statements, and immediate
// transactions. Failures come back as Results carrying sqlite3_errmsg plus what was being done.

#include "common/core/error.hpp"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

struct sqlite3;
struct sqlite3_stmt;

namespace m2g::sqlite {

enum class Sync { off, normal, full };
/// Parse "off|normal|full".
std::optional<Sync> parse_sync(std::string_view name);

struct OpenOptions {
  Sync sync = Sync::full;
  int busy_timeout_ms = 30'000;
  bool read_only = false;
  /// Page size of a database created by this open (0: SQLite's default); an existing file
  /// keeps its own.
  int page_size = 0;
  /// Upper bound of this connection's page cache in KiB (0: SQLite's default, 2,000 KiB). The
  /// cache is heap memory that stays allocated once filled, so a process with few hot pages
  /// sets it low.
  int cache_kib = 0;
};

class Statement;
class StatementCache;

/// What a passive checkpoint found: the frames in the write-ahead log, and how many of them
/// are now in the database file. Both -1 when another connection was checkpointing.
struct CheckpointInfo {
  int64_t log_frames = 0;
  int64_t copied_frames = 0;
  bool operator==(const CheckpointInfo&) const = default;
};

/// One connection. Not thread-safe: use one Db per thread.
class Db {
public:
  static Result<Db> open(const std::string& path, const OpenOptions& options = {});
  Db(Db&&) noexcept;
  Db& operator=(Db&&) noexcept;
  ~Db();

  /// Run one or more statements that return no rows.
  Result<void> exec(std::string_view sql);
  /// Prepare a statement; it stays valid as long as this Db. A statement of the same text that
  /// was prepared before and destroyed since is reused (reset, bindings cleared), so callers
  /// that prepare per call do not pay SQLite's parser and planner each time.
  Result<Statement> prepare(std::string_view sql);
  /// Rows changed by the last statement.
  int64_t changes() const;
  /// Copy what the write-ahead log holds into the database file without waiting on any other
  /// connection (SQLITE_CHECKPOINT_PASSIVE: frames a reader still needs stay in the log).
  /// Another checkpoint in progress is not a failure.
  Result<CheckpointInfo> checkpoint_passive();
  const std::string& path() const { return m_path; }
  sqlite3* handle() const { return m_db; }
  /// True inside BEGIN … COMMIT (false in autocommit mode).
  bool in_transaction() const;
  /// The connection's last error text, prefixed with what was being done.
  Failure failure(std::string_view doing) const;

private:
  Db(sqlite3* db, std::string path);
  sqlite3* m_db = nullptr;
  std::string m_path;
  std::shared_ptr<StatementCache> m_cache;
};

/// A prepared statement with bind/step helpers. Reset it before re-use.
class Statement {
public:
  Statement(Statement&&) noexcept;
  Statement& operator=(Statement&&) noexcept;
  ~Statement();

  Statement& bind(int index, int64_t value);
  Statement& bind(int index, std::string_view text);
  /// Bind text without copying it: the caller keeps `text` alive until reset() (saves a
  /// malloc and a copy per value on hot paths such as bulk inserts).
  Statement& bind_ref(int index, std::string_view text);
  Statement& bind_null(int index);
  /// Advance: true when a row is available, false when done; a failure otherwise.
  Result<bool> step();
  /// Step to completion, for statements that return no rows.
  Result<void> run();
  void reset();
  int64_t column_int64(int column) const;
  std::string_view column_text(int column) const;
  bool column_is_null(int column) const;

private:
  friend class Db;
  void release();
  Statement(sqlite3_stmt* stmt, sqlite3* db, std::shared_ptr<StatementCache> cache)
      : m_stmt(stmt), m_db(db), m_cache(std::move(cache)) {}
  sqlite3_stmt* m_stmt = nullptr;
  sqlite3* m_db = nullptr;
  std::shared_ptr<StatementCache> m_cache; ///< where the statement goes back when destroyed
};

/// BEGIN IMMEDIATE on construction (so the write lock is taken up front and busy_timeout
/// applies); ROLLBACK on destruction unless commit() succeeded. Inside a transaction that is
/// already open (a caller grouping many operations into one), it is a SAVEPOINT instead: its
/// commit() releases into the outer transaction, its rollback undoes only its own writes.
class Transaction {
public:
  static Result<Transaction> begin(Db& db);
  Transaction(Transaction&& other) noexcept : m_db(other.m_db), m_nested(other.m_nested) { other.m_db = nullptr; }
  Transaction& operator=(Transaction&&) = delete;
  ~Transaction();
  Result<void> commit();

private:
  Transaction(Db& db, bool nested) : m_db(&db), m_nested(nested) {}
  Db* m_db;
  bool m_nested;
};

} // namespace m2g::sqlite
