// Queue::stat: ready / leased / dead counts per topic. Lines leased as part of a span (see
// take.cpp) still look fresh in m2g_queue, so the live spans are counted separately.

#include "common/queue/queue.hpp"

#include <algorithm>

namespace m2g::queue {
namespace {

struct Span {
  int64_t first_id, last_id;
};

Result<std::vector<Span>> live_spans(sqlite::Db& db, std::string_view topic, int64_t now) {
  auto stmt = db.prepare("SELECT first_id, last_id FROM m2g_queue_lease WHERE topic = ?1 AND lease_until > ?2 "
                         "ORDER BY last_id");
  if (!stmt.ok()) {
    return stmt.failure();
  }
  stmt->bind(1, topic).bind(2, now);
  std::vector<Span> out;
  while (true) {
    auto row = stmt->step();
    if (!row.ok()) {
      return row.failure();
    }
    if (!*row) {
      return out;
    }
    out.push_back(Span{stmt->column_int64(0), stmt->column_int64(1)});
  }
}

constexpr int64_t k_none = INT64_MAX; // no ready line: no oldest one

/// COUNT(*) and MIN(created_ms) (k_none if none) of the fresh lines of `topic` with ids in
/// [first, last].
Result<std::pair<int64_t, int64_t>> fresh_between(sqlite::Statement& stmt, std::string_view topic, int64_t first,
                                                  int64_t last) {
  stmt.bind(1, topic).bind(2, first).bind(3, last);
  auto row = stmt.step();
  if (!row.ok()) {
    stmt.reset();
    return row.failure();
  }
  std::pair<int64_t, int64_t> out{stmt.column_int64(0), stmt.column_is_null(1) ? k_none : stmt.column_int64(1)};
  stmt.reset();
  return out;
}

} // namespace

Result<std::vector<TopicStat>> Queue::stat() {
  auto stmt = m_db.prepare("SELECT topic,"
                           " SUM(state = 0 AND lease_until <= ?1),"
                           " SUM(state = 0 AND lease_until > ?1),"
                           " SUM(state = 1),"
                           " MIN(CASE WHEN state = 0 AND lease_until <= ?1 THEN created_ms END),"
                           " MIN(CASE WHEN state = 0 AND lease_until > 0 AND lease_until <= ?1 THEN created_ms END)"
                           " FROM m2g_queue GROUP BY topic ORDER BY topic");
  auto fresh = m_db.prepare("SELECT COUNT(*), MIN(created_ms) FROM m2g_queue WHERE topic = ?1 AND state = 0 "
                            "AND lease_until = 0 AND id BETWEEN ?2 AND ?3");
  if (!stmt.ok() || !fresh.ok()) {
    return !stmt.ok() ? stmt.failure() : fresh.failure();
  }
  int64_t now = m_clock->unix_ms();
  stmt->bind(1, now);
  std::vector<TopicStat> out;
  while (true) {
    auto row = stmt->step();
    if (!row.ok()) {
      return row.failure();
    }
    if (!*row) {
      break;
    }
    TopicStat s;
    s.topic = std::string(stmt->column_text(0));
    s.ready = stmt->column_int64(1);
    s.leased = stmt->column_int64(2);
    s.dead = stmt->column_int64(3);
    int64_t oldest = stmt->column_is_null(4) ? k_none : stmt->column_int64(4);
    auto spans = live_spans(m_db, s.topic, now);
    if (!spans.ok()) {
      return spans.failure();
    }
    if (!spans->empty()) {
      // Lines in live spans are leased; the oldest ready line is the oldest of those with a
      // lease of their own that ran out and of the fresh ones in the gaps between spans.
      oldest = stmt->column_is_null(5) ? k_none : stmt->column_int64(5);
      int64_t gap_first = 0;
      for (const auto& span : *spans) {
        auto covered = fresh_between(*fresh, s.topic, span.first_id, span.last_id);
        auto gap = fresh_between(*fresh, s.topic, gap_first, span.first_id - 1);
        if (!covered.ok() || !gap.ok()) {
          return !covered.ok() ? covered.failure() : gap.failure();
        }
        s.ready -= covered->first;
        s.leased += covered->first;
        oldest = std::min(oldest, gap->second);
        gap_first = span.last_id + 1;
      }
      auto tail = fresh_between(*fresh, s.topic, gap_first, INT64_MAX);
      if (!tail.ok()) {
        return tail.failure();
      }
      oldest = std::min(oldest, tail->second);
    }
    s.oldest_ready_age_ms = oldest == k_none ? 0 : std::max<int64_t>(0, now - oldest);
    out.push_back(std::move(s));
  }
  return out;
}

} // namespace m2g::queue
