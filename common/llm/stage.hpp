#pragma once
// m2g-llm as a pipeline stage: owned jobs are titled (by the model through the Titler, or with
// the fallback), everything else passes at once. Lines that share an id with a job being
// titled wait behind it, so a job's later lines never overtake it; other lines never wait.
// Input pauses while too many jobs are held, so memory stays bounded.

#include "common/llm/titler.hpp"
#include "common/stage/io.hpp"

#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace m2g::llm {

class Stage {
public:
  /// `titler` is null when no endpoint is configured (every title is a fallback).
  /// `max_held`: input pauses at this many jobs held and resumes at half.
  Stage(event::Loop& loop, stage::Io& io, Titler* titler, size_t max_held);

  /// Start reading; the run ends when input is over and every job is out.
  void start();
  /// SIGTERM: waiting retries and queued requests fall back now.
  void drain();
  /// Jobs taken but not yet written.
  size_t held() const { return m_held; }

private:
  struct Waiting {
    jsonl::Line line;
    stage::Token token;
  };
  /// A job whose title is being asked for: its line's text, parsed again on demand.
  struct HeldJob {
    std::string raw;
    std::optional<nlohmann::json> parsed;
    bool sent = false; ///< its request went out ("title" progress was written)
    nlohmann::json& job();
  };
  /// The jobs of one id: whether one is being titled, and the lines that came after it.
  struct Lane {
    bool busy = false;
    /// Rarely more than a line or two. Not a std::deque: an empty one already allocates ~0.5 KB,
    /// and there is a lane per job in flight (4.5 MB of m2g-llm's heap at 10,000).
    std::vector<Waiting> queue;
  };

  void on_line(jsonl::Line&& line, stage::Token token);
  /// Handle a line whose lane is free: pass it, or start its job (the lane turns busy).
  void dispatch(jsonl::Line&& line, stage::Token token);
  void job_done(const std::string& id);
  void write_job(stage::Token token, nlohmann::json job, const TitleResult& result, bool sent);

  event::Loop& m_loop;
  stage::Io& m_io;
  Titler* m_titler;
  size_t m_max_held;
  std::unordered_map<std::string, Lane> m_lanes;
  size_t m_held = 0;
  bool m_paused = false;
};

} // namespace m2g::llm
