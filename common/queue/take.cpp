// Queue::take and its batch leases.
//
// Leasing each taken line with its own UPDATE rewrites every row (and its index entry) that a
// take hands out, so a take used to cost as much disk work as the put that stored the lines.
// Instead, the fresh lines (lease_until = 0) that one take hands out are leased together: one
// row of m2g_queue_lease records the span [first_id, last_id] of the topic and when its lease
// ends, and the lines themselves are not written at all.
//
// The invariant that makes this work: for each topic, with cursor = the largest last_id of its
// spans (0 if none), every live line with lease_until = 0 and id <= cursor lies in a span (live
// or expired), and was handed out by that span's take. It holds because
//  - a take spans exactly the fresh lines from the first one above the cursor up to its last,
//    in order (it falls back to leases per line when after_id would make it skip some);
//  - new lines get ids above every id ever used (AUTOINCREMENT);
//  - release (nack) and revive set lease_until = 1 ("ready since the epoch"), never 0;
//  - a span is dropped only once no line of it is left with lease_until = 0: after its lines
//    were acknowledged (forget_spans), or when it expires and its remaining lines become
//    ordinary expired leases with their try counted (expire_spans).
// So the fresh lines above the cursor are the ready ones, and the rest is as before: lines with
// their own lease_until are found by a second index scan and merged by id.

#include "common/queue/queue.hpp"

#include <algorithm>

namespace m2g::queue {

struct Queue::Candidate {
  Entry entry;
  bool fresh = false; ///< lease_until = 0: may join this take's span
};

Result<void> Queue::select_into(sqlite::Statement& stmt, std::string_view topic, int64_t now, int64_t max,
                                int64_t after_id, bool fresh, std::vector<Candidate>& out) {
  stmt.bind(1, topic).bind(2, now).bind(3, max).bind(4, after_id);
  while (true) {
    auto row = stmt.step();
    if (!row.ok()) {
      stmt.reset();
      return row.failure();
    }
    if (!*row) {
      break;
    }
    out.push_back(
        Candidate{Entry{stmt.column_int64(0), std::string(stmt.column_text(1)), stmt.column_int64(2)}, fresh});
  }
  stmt.reset();
  return {};
}

Result<int64_t> Queue::lease_cursor(std::string_view topic) {
  m_last_span->bind(1, topic);
  auto row = m_last_span->step();
  int64_t cursor = row.ok() && *row ? m_last_span->column_int64(0) : 0;
  m_last_span->reset();
  if (!row.ok()) {
    return row.failure();
  }
  return cursor;
}

namespace {

/// Whether the bound `stmt` gives a row; it is reset for its next use either way.
Result<bool> gives_row(sqlite::Statement& stmt) {
  auto row = stmt.step();
  stmt.reset();
  if (!row.ok()) {
    return row.failure();
  }
  return *row;
}

} // namespace

Result<bool> Queue::any_fresh(std::string_view topic, int64_t first_id, int64_t last_id) {
  m_any_fresh->bind(1, topic).bind(2, first_id).bind(3, last_id);
  return gives_row(*m_any_fresh);
}

Result<void> Queue::expire_spans(std::string_view topic, int64_t now) {
  struct Due {
    int64_t first_id, last_id, lease_until;
  };
  std::vector<Due> due;
  m_due_spans->bind(1, topic).bind(2, now);
  while (true) {
    auto row = m_due_spans->step();
    if (!row.ok()) {
      m_due_spans->reset();
      return row.failure();
    }
    if (!*row) {
      break;
    }
    due.push_back(Due{m_due_spans->column_int64(0), m_due_spans->column_int64(1), m_due_spans->column_int64(2)});
  }
  m_due_spans->reset();
  // Lines left in an expired span become ordinary expired leases, their try counted.
  for (const auto& span : due) {
    m_expire_span->bind(1, topic).bind(2, span.first_id).bind(3, span.last_id).bind(4, span.lease_until);
    M2G_TRY(m_expire_span->run());
    m_drop_span->bind(1, topic).bind(2, span.last_id);
    M2G_TRY(m_drop_span->run());
  }
  return {};
}

Result<void> Queue::forget_spans(std::string_view topic, int64_t first_id, int64_t last_id) {
  // Spans are disjoint, so ordered by last_id they are ordered by first_id too.
  std::vector<std::pair<int64_t, int64_t>> touched;
  m_spans_from->bind(1, topic).bind(2, first_id);
  while (true) {
    auto row = m_spans_from->step();
    if (!row.ok()) {
      m_spans_from->reset();
      return row.failure();
    }
    if (!*row || m_spans_from->column_int64(0) > last_id) {
      break;
    }
    touched.emplace_back(m_spans_from->column_int64(0), m_spans_from->column_int64(1));
  }
  m_spans_from->reset();
  for (auto [first, last] : touched) {
    auto left = any_fresh(topic, first, last);
    if (!left.ok()) {
      return left.failure();
    }
    if (!*left) {
      m_drop_span->bind(1, topic).bind(2, last);
      M2G_TRY(m_drop_span->run());
    }
  }
  return {};
}

Result<bool> Queue::any_ready(std::string_view topic, int64_t now, int64_t after_id) {
  m_any_ready->bind(1, topic).bind(2, now).bind(3, after_id);
  return gives_row(*m_any_ready);
}

Result<std::vector<Entry>> Queue::take(std::string_view topic, const TakeOptions& options) {
  // Every stage watching a queue file wakes on every write to it, by any stage, and most of
  // those wakes find nothing for their topic. Look first without the write lock (a WAL read
  // never waits for the writer), so an empty take does not queue up behind, and hold up, the
  // stages that do have work. A line put after the look wakes the watcher again.
  if (!m_db.in_transaction()) {
    auto ready = any_ready(topic, m_clock->unix_ms(), options.after_id);
    if (!ready.ok()) {
      return ready.failure();
    }
    if (!*ready) {
      return std::vector<Entry>{};
    }
  }
  auto tx = begin();
  if (!tx.ok()) {
    return tx.failure();
  }
  int64_t now = m_clock->unix_ms();
  int64_t until = std::max<int64_t>(now + options.lease_ms, 1); // 0 would mean "never taken"
  M2G_TRY(expire_spans(topic, now));
  auto cursor = lease_cursor(topic);
  if (!cursor.ok()) {
    return cursor.failure();
  }
  std::vector<Entry> taken;
  // Entries that exhaust their tries are skipped; keep selecting until `max` live ones are found.
  while (static_cast<int64_t>(taken.size()) < options.max) {
    int64_t want = options.max - static_cast<int64_t>(taken.size());
    std::vector<Candidate> batch;
    M2G_TRY(select_into(*m_select_expired, topic, now, want, options.after_id, false, batch));
    M2G_TRY(select_into(*m_select_fresh, topic, now, want, std::max(*cursor, options.after_id), true, batch));
    // Fresh and expired lines together, oldest first, as if they were one ordered list. What is
    // kept of the fresh ones is a prefix of them, so they stay one span.
    std::sort(batch.begin(), batch.end(),
              [](const Candidate& a, const Candidate& b) { return a.entry.id < b.entry.id; });
    if (static_cast<int64_t>(batch.size()) > want) {
      batch.resize(static_cast<size_t>(want));
    }
    if (batch.empty()) {
      break;
    }
    // A span starting above after_id would pass over fresh lines between the cursor and
    // after_id (this reader's own, released meanwhile): then lease line by line this time.
    bool as_span = options.after_id <= *cursor;
    if (!as_span) {
      auto skipped = any_fresh(topic, *cursor + 1, options.after_id);
      if (!skipped.ok()) {
        return skipped.failure();
      }
      as_span = !*skipped;
    }
    int64_t span_first = 0, span_last = 0;
    for (auto& candidate : batch) {
      Entry& entry = candidate.entry;
      if (options.max_tries > 0 && entry.tries >= options.max_tries) {
        m_kill->bind(1, entry.id);
        M2G_TRY(m_kill->run());
        continue;
      }
      if (candidate.fresh && as_span) {
        span_first = span_first ? span_first : entry.id;
        span_last = entry.id;
      } else {
        m_lease->bind(1, entry.id).bind(2, until);
        M2G_TRY(m_lease->run());
      }
      entry.tries += 1;
      taken.push_back(std::move(entry));
    }
    if (span_last) {
      m_add_span->bind(1, topic).bind(2, span_first).bind(3, span_last).bind(4, until);
      M2G_TRY(m_add_span->run());
      *cursor = span_last;
    }
  }
  M2G_TRY(tx->commit());
  return taken;
}

} // namespace m2g::queue
