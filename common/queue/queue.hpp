#pragma once
// A durable queue in one SQLite file: topics of lines, taken under a lease (at-least-once),
// acknowledged by id, and moved to a dead state after too many tries. Many processes may use
// one file at once: every write is an immediate transaction and waits out a busy database.

#include "common/core/clock.hpp"
#include "common/core/error.hpp"
#include "common/queue/wake.hpp"
#include "common/sqlite/db.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace m2g::queue {

/// One line taken from a topic.
struct Entry {
  int64_t id = 0;
  std::string line;
  int64_t tries = 0; ///< how many times it has been taken, this time included
};

/// Counts for one topic, as `m2g-queue stat` prints them.
struct TopicStat {
  std::string topic;
  int64_t ready = 0;
  int64_t leased = 0;
  int64_t dead = 0;
  int64_t oldest_ready_age_ms = 0; ///< 0 when nothing is ready
};

struct TakeOptions {
  int64_t max = 1;
  int64_t lease_ms = 300'000;
  /// An entry already taken this many times goes to the dead state instead (0: never).
  int64_t max_tries = 0;
  /// Only entries with a larger id: a reader that drains a topic in several takes passes the
  /// last id it got, so a lease of its own that expires meanwhile is not handed to it twice.
  int64_t after_id = 0;
};

/// A queue file. Not thread-safe; open one per thread or process.
class Queue {
public:
  static Result<Queue> open(const std::string& path, const sqlite::OpenOptions& options = {},
                            Clock& clock = SystemClock::instance());

  /// Store lines in `topic`; durable once this returns. One transaction. Wakes its readers.
  Result<void> put(std::string_view topic, const std::vector<std::string>& lines);
  /// Lease up to `max` ready lines of `topic`, oldest first. One transaction. Fresh lines
  /// taken in one go share one lease row (no write per line); see take.cpp.
  Result<std::vector<Entry>> take(std::string_view topic, const TakeOptions& options);
  /// Delete the entries `ids` of `topic`; returns how many existed. One transaction.
  Result<int64_t> ack(std::string_view topic, const std::vector<int64_t>& ids);
  /// End the lease of `ids` now so they are taken again (their tries stay counted).
  Result<int64_t> nack(std::string_view topic, const std::vector<int64_t>& ids);
  /// Move dead entries of `topic` back to ready with their tries reset; returns how many.
  Result<int64_t> revive(std::string_view topic);
  /// Counts for every topic present.
  Result<std::vector<TopicStat>> stat();
  /// Print dead entries instead of ready ones (for inspection).
  Result<std::vector<Entry>> dead(std::string_view topic, int64_t max);

  /// Wake the readers of `topic` (after a commit that stored lines in it through insert()).
  void wake(std::string_view topic) { m_wakes.wake(topic); }

  /// Building blocks for a stage's durable handoff: several puts and acks in one transaction.
  Result<sqlite::Transaction> begin();
  Result<void> insert(std::string_view topic, std::string_view line);
  /// Store `lines` in `topic`, 32 rows per statement (SQLite updates AUTOINCREMENT's counter
  /// once per statement, not per row). Inside begin()'s transaction.
  Result<void> insert(std::string_view topic, const std::vector<std::string>& lines);
  Result<void> remove(std::string_view topic, int64_t id);
  /// Delete the entries `ids` of `topic` (ranges of consecutive ids in one statement each) and
  /// drop batch leases left empty; returns how many existed. Inside begin()'s transaction.
  Result<int64_t> remove_batch(std::string_view topic, std::vector<int64_t> ids);

  sqlite::Db& db() { return m_db; }
  const std::string& path() const { return m_db.path(); }

private:
  struct Candidate;
  Queue(sqlite::Db db, Clock& clock) : m_db(std::move(db)), m_clock(&clock), m_wakes(m_db.path()) {}
  Result<void> prepare_all();
  Result<void> select_into(sqlite::Statement& stmt, std::string_view topic, int64_t now, int64_t max, int64_t after_id,
                           bool fresh, std::vector<Candidate>& out);
  // Batch leases (see take.cpp): one row per take covers a span of fresh entries.
  Result<int64_t> lease_cursor(std::string_view topic);
  Result<void> expire_spans(std::string_view topic, int64_t now);
  Result<bool> any_fresh(std::string_view topic, int64_t first_id, int64_t last_id);
  Result<bool> any_ready(std::string_view topic, int64_t now, int64_t after_id);
  Result<void> forget_spans(std::string_view topic, int64_t first_id, int64_t last_id);

  sqlite::Db m_db;
  Clock* m_clock;
  WakeSender m_wakes;
  std::optional<sqlite::Statement> m_insert, m_insert_many, m_select_fresh, m_select_expired, m_lease, m_kill, m_delete,
      m_delete_span, m_release, m_last_span, m_due_spans, m_expire_span, m_drop_span, m_add_span, m_spans_from,
      m_any_fresh, m_any_ready;
};

/// "qid" names a taken line's queue entry as "<topic>:<id>"; ack and the stages use it.
std::string format_qid(std::string_view topic, int64_t id);
/// Split a qid; nullopt if it is not of the form "<topic>:<id>".
std::optional<std::pair<std::string, int64_t>> parse_qid(std::string_view qid);

} // namespace m2g::queue
