#pragma once
// Moves a queue file's write-ahead log into the database while this stage has nothing to do.
//
// Left to itself, SQLite checkpoints inside whichever commit takes the log past 1,000 pages
// (16 MB with the queues' 16 KiB pages): that commit stalls 10–15 ms copying them, and in a
// burst it is the busy stage's handoff that pays, at the worst moment (realistic-10k's last
// 10,000 answers). A stage that has been quiet for a while does the copy instead, and again
// each quiet period while other stages keep writing; once the log is wholly copied, SQLite
// writes the next transactions from the start of the log file again instead of growing it.
// It stops polling when a period passes in which nobody wrote, and starts over on its own
// next piece of work.

#include "common/event/loop.hpp"
#include "common/sqlite/db.hpp"

#include <vector>

namespace m2g::stage {

class QuietCheckpoint {
public:
  QuietCheckpoint(event::Loop& loop, Millis quiet) : m_loop(loop), m_quiet(quiet) {}
  ~QuietCheckpoint();
  QuietCheckpoint(const QuietCheckpoint&) = delete;
  QuietCheckpoint& operator=(const QuietCheckpoint&) = delete;

  /// Checkpoint `db` too; it must outlive this object.
  void add(sqlite::Db& db) { m_dbs.push_back({&db, {}}); }
  /// The stage just read or wrote its queues: the next checkpoint waits a whole quiet period.
  void busy();
  /// Checkpoints that copied something (for tests and the stage's debug summary).
  uint64_t checkpoints() const { return m_checkpoints; }

private:
  struct Watched {
    sqlite::Db* db;
    sqlite::CheckpointInfo last; ///< what the previous checkpoint of this stage found
  };
  void arm(Millis delay);
  void fire();

  event::Loop& m_loop;
  Millis m_quiet;
  std::vector<Watched> m_dbs;
  TimePoint m_last_busy{};
  event::TimerId m_timer = 0;
  uint64_t m_checkpoints = 0;
};

} // namespace m2g::stage
