#pragma once
// m2g-llm as a pipeline stage: owned jobs are titled (by the model through the Titler, or with
// the fallback), everything else passes at once. Lines that share an id with a job being
// titled wait behind it, so a job's later lines never overtake it; other lines never wait.
// Input pauses while too many jobs are held, so memory stays bounded.

#include "common/llm/titler.hpp"
#include "common/stage/io.hpp"

#include <cstdint>
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
  /// A job whose title is being asked for. It keeps its line's text, not the parsed object,
  /// which is several times larger: the call lasts as long as the model takes (seconds, with
  /// thousands at once). The object is parsed again when it is needed.
  class HeldJob final : public Titler::Job {
  public:
    HeldJob(Stage& stage, uint64_t lane, stage::Token token) : m_stage(stage), m_lane(lane), m_token(token) {}
    ~HeldJob() override { drop_parsed(); }
    std::string title_text() override;
    std::string fallback_title() override;
    void title_sent() override;
    void title_done(TitleResult&& result) override;

  private:
    friend class Stage;
    /// The job's object, parsed on demand into the stage's one slot for it.
    nlohmann::json& job();
    void drop_parsed();

    bool m_sent = false; ///< its request went out ("title" progress was written); first, to
                         ///< sit in the padding after Titler::Job's fields
    Stage& m_stage;
    uint64_t m_lane;
    stage::Token m_token;
    std::string m_raw;
  };
  /// The jobs of one id: the one being titled, and the lines that came after it. The job lives
  /// in the lane itself, so a job in flight costs the stage one allocation besides its text
  /// (a 120-byte map node).
  struct Lane {
    std::optional<HeldJob> job;
    /// Rarely any. Not a std::deque: an empty one already allocates ~0.5 KB.
    std::unique_ptr<std::vector<Waiting>> queue;
  };

  /// Lanes are keyed by a 64-bit hash of the id: two ids that collide only share a lane, so one
  /// waits behind the other, and no lane keeps a copy of its id.
  static uint64_t lane_key(const std::string& id);
  void on_line(jsonl::Line&& line, stage::Token token);
  /// Handle a line whose lane is free: pass it, or start its job (the lane turns busy).
  void dispatch(jsonl::Line&& line, stage::Token token);
  void on_titled(HeldJob& held, TitleResult&& result);
  void job_done(uint64_t lane);
  void write_job(stage::Token token, nlohmann::json job, const TitleResult& result, bool sent);

  event::Loop& m_loop;
  stage::Io& m_io;
  Titler* m_titler;
  size_t m_max_held;
  /// The one job whose object is parsed now, and that object. Jobs are parsed one at a time
  /// (to be planned, sent or written), so a held job needs no room of its own for one.
  /// Declared before the lanes: a job still held when the stage goes drops its object here.
  HeldJob* m_parsed_job = nullptr;
  nlohmann::json m_parsed;
  std::unordered_map<uint64_t, Lane> m_lanes;
  /// The job being dispatched, whose object dispatch() drops itself once title() returns.
  HeldJob* m_dispatching = nullptr;
  size_t m_held = 0;
  bool m_paused = false;
};

} // namespace m2g::llm
