#include "common/stage/quiet_checkpoint.hpp"

#include "common/core/log.hpp"

namespace m2g::stage {

QuietCheckpoint::~QuietCheckpoint() {
  if (m_timer) {
    m_loop.cancel(m_timer);
  }
}

void QuietCheckpoint::busy() {
  m_last_busy = m_loop.now();
  if (!m_timer && !m_dbs.empty()) {
    arm(m_quiet); // not moved per call: fire() checks how long the stage has really been quiet
  }
}

void QuietCheckpoint::arm(Millis delay) {
  m_timer = m_loop.after(delay, [this] {
    m_timer = 0;
    fire();
  });
}

void QuietCheckpoint::fire() {
  auto quiet_for = std::chrono::duration_cast<Millis>(m_loop.now() - m_last_busy);
  if (quiet_for < m_quiet) {
    arm(m_quiet - quiet_for);
    return;
  }
  bool log_moved = false;
  for (auto& watched : m_dbs) {
    auto info = watched.db->checkpoint_passive();
    if (!info.ok()) {
      // Not this stage's job to fail over: SQLite's own checkpoint in commits still runs.
      log::warn(info.error());
      continue;
    }
    if (info->copied_frames > 0 && *info != watched.last) {
      ++m_checkpoints;
    }
    // The log changed since the last look (someone wrote, or it restarted), or another
    // connection was mid-checkpoint, or a reader kept frames back: look again later.
    log_moved = log_moved || *info != watched.last || info->log_frames < 0 || info->copied_frames < info->log_frames;
    watched.last = *info;
  }
  if (log_moved) {
    arm(m_quiet);
  }
}

} // namespace m2g::stage
