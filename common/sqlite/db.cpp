#include "common/sqlite/db.hpp"

#include "common/core/exit_codes.hpp"

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <sqlite3.h>
#include <thread>
#include <unordered_map>
#include <vector>

namespace m2g::sqlite {

std::optional<Sync> parse_sync(std::string_view name) {
  if (name == "off") {
    return Sync::off;
  }
  if (name == "normal") {
    return Sync::normal;
  }
  if (name == "full") {
    return Sync::full;
  }
  return std::nullopt;
}

namespace {

int exit_code_for(int rc) {
  switch (rc & 0xff) {
  case SQLITE_BUSY:
  case SQLITE_LOCKED:
    return exit_code::k_tempfail;
  case SQLITE_CANTOPEN:
    return exit_code::k_cantcreat;
  case SQLITE_IOERR:
  case SQLITE_FULL:
    return exit_code::k_ioerr;
  case SQLITE_CORRUPT:
  case SQLITE_NOTADB:
    return exit_code::k_dataerr;
  default:
    return exit_code::k_software;
  }
}

// SQLite's own busy handler (sqlite3_busy_timeout) sleeps 1, 2, 5, 10, 15, 20, 25, 25, 25, 50,
// 50, 100 ms between tries. Two processes that pass the write lock back and forth every few
// milliseconds (take and ack of one queue, a stage's take and handoff) then sleep most of the
// time while the lock is free. Sleep 50 µs, doubling up to 2 ms, instead, until the timeout
// (passed as the context pointer, in ms).
int busy_wait(void* timeout_ms, int count) {
  constexpr int k_first_us = 50, k_max_us = 2000, k_ramp = 6; // 50 << 6 > 2000
  int64_t slept_us = count < k_ramp ? k_first_us * ((int64_t{1} << count) - 1)
                                    : k_first_us * ((int64_t{1} << k_ramp) - 1) + int64_t{k_max_us} * (count - k_ramp);
  if (slept_us >= reinterpret_cast<intptr_t>(timeout_ms) * 1000) {
    return 0; // give up: the caller gets SQLITE_BUSY
  }
  int delay_us = count < k_ramp ? std::min(k_first_us << count, k_max_us) : k_max_us;
  std::this_thread::sleep_for(std::chrono::microseconds(delay_us));
  return 1;
}

} // namespace

// Statements destroyed by their users, kept by their SQL text for the next prepare() of the
// same text. Shared by the Db and its statements, so either may go first: once the Db is
// closed, statements given back are finalized.
class StatementCache {
public:
  ~StatementCache() { close(); }

  sqlite3_stmt* take(std::string_view sql) {
    auto found = m_idle.find(sql); // no std::string built per prepare()
    if (found == m_idle.end() || found->second.empty()) {
      return nullptr;
    }
    sqlite3_stmt* stmt = found->second.back();
    found->second.pop_back();
    --m_count;
    return stmt;
  }

  void give(sqlite3_stmt* stmt) {
    if (stmt == nullptr) {
      return;
    }
    const char* sql = sqlite3_sql(stmt);
    if (m_closed || sql == nullptr || m_count >= k_max_idle) {
      sqlite3_finalize(stmt);
      return;
    }
    // Reset releases the statement's read lock; cleared bindings drop pointers to the caller's
    // text (bind_ref).
    sqlite3_reset(stmt);
    sqlite3_clear_bindings(stmt);
    m_idle[sql].push_back(stmt);
    ++m_count;
  }

  void close() {
    for (auto& [sql, stmts] : m_idle) {
      for (sqlite3_stmt* stmt : stmts) {
        sqlite3_finalize(stmt);
      }
    }
    m_idle.clear();
    m_count = 0;
    m_closed = true;
  }

private:
  // Generous for the few dozen statement texts a tool has; bounded for ones built on the fly.
  static constexpr size_t k_max_idle = 256;
  struct TextHash {
    using is_transparent = void;
    size_t operator()(std::string_view text) const { return std::hash<std::string_view>{}(text); }
  };
  std::unordered_map<std::string, std::vector<sqlite3_stmt*>, TextHash, std::equal_to<>> m_idle;
  size_t m_count = 0;
  bool m_closed = false;
};

Db::Db(sqlite3* db, std::string path)
    : m_db(db), m_path(std::move(path)), m_cache(std::make_shared<StatementCache>()) {}

Result<Db> Db::open(const std::string& path, const OpenOptions& options) {
  sqlite3* raw = nullptr;
  int flags = options.read_only ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  int rc = sqlite3_open_v2(path.c_str(), &raw, flags | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    std::string message = "cannot open database '" + path + "': " + (raw ? sqlite3_errmsg(raw) : sqlite3_errstr(rc));
    sqlite3_close(raw);
    return fail(exit_code_for(rc), message);
  }
  Db db(raw, path);
  sqlite3_busy_handler(raw, busy_wait, reinterpret_cast<void*>(static_cast<intptr_t>(options.busy_timeout_ms)));
  sqlite3_extended_result_codes(raw, 1);
  if (options.page_size > 0 && !options.read_only) {
    // Only takes effect before the file has its first page, so before journal_mode=WAL.
    M2G_TRY(db.exec("PRAGMA page_size=" + std::to_string(options.page_size)));
  }
  if (!options.read_only) {
    // WAL lets readers and the one writer work at once, across processes on this host. When
    // several processes open a new file at the same moment (m2g-bot starting six stages),
    // switching it to WAL can fail with "database is locked" without SQLite calling the busy
    // handler: try again, within the same busy timeout.
    auto wal = db.exec("PRAGMA journal_mode=WAL");
    for (int tried_ms = 0;
         !wal.ok() && wal.failure().exit_code == exit_code::k_tempfail && tried_ms < options.busy_timeout_ms;
         tried_ms += 5) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
      wal = db.exec("PRAGMA journal_mode=WAL");
    }
    M2G_TRY(wal);
  }
  const char* sync = options.sync == Sync::full     ? "PRAGMA synchronous=FULL"
                     : options.sync == Sync::normal ? "PRAGMA synchronous=NORMAL"
                                                    : "PRAGMA synchronous=OFF";
  M2G_TRY(db.exec(sync));
  if (options.cache_kib > 0) {
    M2G_TRY(db.exec("PRAGMA cache_size=-" + std::to_string(options.cache_kib))); // negative: KiB, not pages
  }
  return db;
}

Db::Db(Db&& other) noexcept : m_db(other.m_db), m_path(std::move(other.m_path)), m_cache(std::move(other.m_cache)) {
  other.m_db = nullptr;
}

Db& Db::operator=(Db&& other) noexcept {
  if (this != &other) {
    if (m_cache) {
      m_cache->close();
    }
    sqlite3_close_v2(m_db);
    m_db = other.m_db;
    m_path = std::move(other.m_path);
    m_cache = std::move(other.m_cache);
    other.m_db = nullptr;
  }
  return *this;
}

Db::~Db() {
  if (m_cache) {
    m_cache->close(); // statements still held by users are finalized when they go
  }
  sqlite3_close_v2(m_db); // deferred by SQLite until those are finalized
}

Failure Db::failure(std::string_view doing) const {
  int rc = sqlite3_extended_errcode(m_db);
  return fail(exit_code_for(rc), std::string(doing) + " in '" + m_path + "': " + sqlite3_errmsg(m_db));
}

Result<void> Db::exec(std::string_view sql) {
  std::string text(sql);
  char* message = nullptr;
  int rc = sqlite3_exec(m_db, text.c_str(), nullptr, nullptr, &message);
  if (rc != SQLITE_OK) {
    std::string what = message ? message : sqlite3_errstr(rc);
    sqlite3_free(message);
    return fail(exit_code_for(rc), "cannot run '" + text.substr(0, 40) + "' in '" + m_path + "': " + what);
  }
  return {};
}

Result<Statement> Db::prepare(std::string_view sql) {
  if (sqlite3_stmt* cached = m_cache->take(sql)) {
    return Statement(cached, m_db, m_cache);
  }
  sqlite3_stmt* stmt = nullptr;
  int rc =
      sqlite3_prepare_v3(m_db, sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
  if (rc != SQLITE_OK) {
    return failure("cannot prepare a statement");
  }
  return Statement(stmt, m_db, m_cache);
}

int64_t Db::changes() const {
  return sqlite3_changes64(m_db);
}

Statement::Statement(Statement&& other) noexcept
    : m_stmt(other.m_stmt), m_db(other.m_db), m_cache(std::move(other.m_cache)) {
  other.m_stmt = nullptr;
}

Statement& Statement::operator=(Statement&& other) noexcept {
  if (this != &other) {
    release();
    m_stmt = other.m_stmt;
    m_db = other.m_db;
    m_cache = std::move(other.m_cache);
    other.m_stmt = nullptr;
  }
  return *this;
}

Statement::~Statement() {
  release();
}

void Statement::release() {
  if (m_cache) {
    m_cache->give(m_stmt);
  } else {
    sqlite3_finalize(m_stmt);
  }
  m_stmt = nullptr;
}

Statement& Statement::bind(int index, int64_t value) {
  sqlite3_bind_int64(m_stmt, index, value);
  return *this;
}

Statement& Statement::bind(int index, std::string_view text) {
  sqlite3_bind_text64(m_stmt, index, text.data(), text.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
  return *this;
}

Statement& Statement::bind_ref(int index, std::string_view text) {
  // A null pointer would bind NULL, not an empty text.
  sqlite3_bind_text64(m_stmt, index, text.data() ? text.data() : "", text.size(), SQLITE_STATIC, SQLITE_UTF8);
  return *this;
}

Statement& Statement::bind_null(int index) {
  sqlite3_bind_null(m_stmt, index);
  return *this;
}

Result<bool> Statement::step() {
  int rc = sqlite3_step(m_stmt);
  if (rc == SQLITE_ROW) {
    return true;
  }
  if (rc == SQLITE_DONE) {
    return false;
  }
  std::string message = sqlite3_errmsg(m_db);
  sqlite3_reset(m_stmt);
  return fail(exit_code_for(rc), "database error: " + message);
}

Result<void> Statement::run() {
  while (true) {
    auto more = step();
    if (!more.ok()) {
      return more.failure();
    }
    if (!*more) {
      reset();
      return {};
    }
  }
}

void Statement::reset() {
  sqlite3_reset(m_stmt);
  sqlite3_clear_bindings(m_stmt);
}

int64_t Statement::column_int64(int column) const {
  return sqlite3_column_int64(m_stmt, column);
}

std::string_view Statement::column_text(int column) const {
  auto* text = reinterpret_cast<const char*>(sqlite3_column_text(m_stmt, column));
  return text ? std::string_view(text, static_cast<size_t>(sqlite3_column_bytes(m_stmt, column))) : std::string_view();
}

bool Statement::column_is_null(int column) const {
  return sqlite3_column_type(m_stmt, column) == SQLITE_NULL;
}

Result<CheckpointInfo> Db::checkpoint_passive() {
  int log = -1, copied = -1;
  int rc = sqlite3_wal_checkpoint_v2(m_db, nullptr, SQLITE_CHECKPOINT_PASSIVE, &log, &copied);
  if (rc != SQLITE_OK && rc != SQLITE_BUSY) {
    return failure("cannot checkpoint");
  }
  return CheckpointInfo{log, copied};
}

bool Db::in_transaction() const {
  return sqlite3_get_autocommit(m_db) == 0;
}

Result<Transaction> Transaction::begin(Db& db) {
  if (db.in_transaction()) {
    M2G_TRY(db.exec("SAVEPOINT m2g_nested"));
    return Transaction(db, true);
  }
  M2G_TRY(db.exec("BEGIN IMMEDIATE"));
  return Transaction(db, false);
}

Transaction::~Transaction() {
  if (m_db) {
    (void)m_db->exec(m_nested ? "ROLLBACK TO m2g_nested; RELEASE m2g_nested" : "ROLLBACK");
  }
}

Result<void> Transaction::commit() {
  auto r = m_db->exec(m_nested ? "RELEASE m2g_nested" : "COMMIT");
  if (r.ok()) {
    m_db = nullptr;
  }
  return r;
}

} // namespace m2g::sqlite
