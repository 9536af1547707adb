#include "common/limit/stage.hpp"

#include "common/core/exit_codes.hpp"
#include "common/core/log.hpp"
#include "common/event/loop.hpp"
#include "common/limit/key_path.hpp"
#include "common/limit/rejection.hpp"
#include "common/limit/wait_scheduler.hpp"

#include <algorithm>
#include <array>
#include <csignal>
#include <random>

namespace m2g::limit {
namespace {

// How often full buckets are swept when no new keys arrive to drive the sweep.
constexpr Millis k_maintain_every{1000};
// Lines decided with one clock reading. Reading the clock costs more than a decision; a reading
// is never reused past the loop round it was taken in, and a stale reading only ever admits less.
constexpr int k_lines_per_clock_read = 256;

class LimitStage {
public:
  LimitStage(event::Loop& loop, stage::Io& io, const StageOptions& options, const std::string& reject_path,
             uint64_t seed)
      : m_loop(loop), m_io(io), m_options(options), m_path(options.key), m_limiter(options.limits, loop.now(), seed),
        m_scheduler(m_limiter), m_copy(options.mode == Mode::drop ? reject_path : std::string()),
        m_sink([this](std::string&& line, int64_t tag) { release(std::move(line), tag); }) {
    for (const auto& name : options.kinds) {
      m_limited[static_cast<size_t>(jsonl::kind_from_name(name))] = true;
    }
    m_low_water = options.max_held - std::max<size_t>(1, options.max_held / 4); // resume below the cap
  }

  Limiter& limiter() { return m_limiter; }

  void on_line(jsonl::Line&& line, stage::Token token) {
    if (!m_limited[static_cast<size_t>(line.kind())]) {
      m_io.pass(std::move(line), token);
      return;
    }
    KeyValue key = m_path.find(line.raw());
    uint64_t hash = k_no_key_hash;
    if (!key.missing()) {
      hash = m_limiter.hasher()(canonical_key(key, m_scratch));
    }
    if (m_options.mode == Mode::drop) {
      decide_or_refuse(std::move(line), token, key, hash);
      return;
    }
    if (!m_scheduler.offer(hash, line.take_raw(), token.entry, now(), m_sink)) {
      schedule_pump();
      update_pause();
    }
  }

  bool idle() const { return m_scheduler.held() == 0; }

  /// SIGTERM/SIGINT: held lines leave at once (none is lost), then the runtime drains.
  void stop(int signo) {
    m_signal = signo;
    size_t released = m_scheduler.release_all(m_sink);
    if (released > 0) {
      log::info(std::string(signo == SIGINT ? "SIGINT" : "SIGTERM") + ": released " + std::to_string(released) +
                " held line" + (released == 1 ? "" : "s") + " without waiting");
    }
    if (m_timer) {
      m_loop.cancel(m_timer);
      m_timer = 0;
    }
    m_io.shutdown();
  }

  int signal() const { return m_signal; }

  void reload_tiers() {
    if (m_options.tiers_path.empty()) {
      log::debug("SIGHUP: no --tiers file to reload");
      return;
    }
    auto tiers = load_tiers(m_options.tiers_path);
    if (!tiers.ok()) {
      log::warn(tiers.error() + "; keeping the " + std::to_string(m_limiter.tier_count()) + " tiers in use");
      return;
    }
    m_limiter.set_tiers(tiers.value(), m_loop.now());
    m_scheduler.retime(m_loop.now());
    log::info("reloaded " + std::to_string(tiers->size()) + " tiers from '" + m_options.tiers_path + "'");
    schedule_pump(); // a waiting key may now go sooner
  }

  void maintain() {
    m_limiter.maintain(m_loop.now());
    m_loop.after(k_maintain_every, [this] { maintain(); });
  }

private:
  void decide_or_refuse(jsonl::Line&& line, stage::Token token, const KeyValue& key, uint64_t hash) {
    Verdict verdict = m_limiter.decide(hash, now());
    if (verdict.admitted) {
      m_io.pass(std::move(line), token);
      return;
    }
    RefusalInfo info{m_options.key, key, verdict, m_options.limits.rate, m_options.limits.burst};
    if (verdict.bucket == BucketKind::key) {
      std::tie(info.rate, info.burst) = m_limiter.key_limits(hash);
    }
    std::string rejection = make_rejection(line, info);
    if (log::enabled(log::Level::debug)) {
      log::debug("line " + std::to_string(line.number()) + ": refused, " + std::string(bucket_name(verdict.bucket)) +
                 " limit");
    }
    if (m_copy.add(line.raw())) {
      m_loop.defer([this] { m_copy.flush(); });
    }
    std::vector<std::string> out;
    out.push_back(std::move(rejection));
    m_io.finish(token, std::move(out));
  }

  TimePoint now() {
    if (m_now_uses == 0) {
      m_now = m_loop.now();
      if (!m_now_reset) {
        m_now_reset = true;
        m_loop.defer([this] {
          m_now_reset = false;
          m_now_uses = 0;
        });
      }
    }
    if (++m_now_uses >= k_lines_per_clock_read) {
      m_now_uses = 0;
    }
    return m_now;
  }

  void release(std::string&& line, int64_t tag) {
    std::vector<std::string> out;
    out.push_back(std::move(line));
    m_io.finish(stage::Token{tag}, std::move(out));
  }

  void schedule_pump() {
    if (m_pump_deferred) {
      return;
    }
    m_pump_deferred = true;
    m_loop.defer([this] {
      m_pump_deferred = false;
      pump();
    });
  }

  void pump() {
    auto next = m_scheduler.pump(m_loop.now(), m_sink);
    if (next) {
      arm(*next);
    }
    update_pause();
    if (idle()) {
      m_io.check_done();
    }
  }

  // One timer at a time, at the earliest moment a held line may go.
  void arm(TimePoint when) {
    if (m_timer && m_timer_at <= when) {
      return;
    }
    if (m_timer) {
      m_loop.cancel(m_timer);
    }
    m_timer_at = when;
    m_timer = m_loop.at(when, [this] {
      m_timer = 0;
      pump();
    });
  }

  void update_pause() {
    size_t held = m_scheduler.held();
    if (!m_paused && held >= m_options.max_held) {
      m_paused = true;
      m_io.pause();
      log::debug("holding " + std::to_string(held) + " lines: input paused");
    } else if (m_paused && held <= m_low_water) {
      m_paused = false;
      m_io.resume();
    }
  }

  event::Loop& m_loop;
  stage::Io& m_io;
  const StageOptions& m_options;
  KeyPath m_path;
  Limiter m_limiter;
  WaitScheduler m_scheduler;
  RefusalCopy m_copy;
  WaitScheduler::Sink m_sink;
  std::array<bool, 8> m_limited{};
  std::string m_scratch;
  size_t m_low_water = 0;
  bool m_paused = false;
  bool m_pump_deferred = false;
  event::TimerId m_timer = 0;
  TimePoint m_timer_at{};
  int m_signal = 0;
  TimePoint m_now{};
  int m_now_uses = 0;
  bool m_now_reset = false;
};

} // namespace

std::vector<std::string> limitable_kinds() {
  return {"update", "job", "action", "progress", "result", "rejection", "error"};
}

int run(const StageOptions& options, const stage::IoOptions& io_options) {
  std::vector<Tier> tiers;
  if (!options.tiers_path.empty()) {
    tiers = load_tiers(options.tiers_path).take_or_throw();
  }
  event::Loop loop;
  // Lines waiting for their tokens are held unfinished: a queue input must let the stage hold
  // as many as --max-held, or one flooding user's held lines would block everybody else's.
  stage::Io io(loop, io_options.holding(options.max_held));
  std::random_device seed_source;
  uint64_t seed = (uint64_t{seed_source()} << 32) ^ seed_source();
  LimitStage limit_stage(loop, io, options, io_options.reject_path, seed);
  limit_stage.limiter().set_tiers(tiers, loop.now());
  // These replace the runtime's own SIGTERM/SIGINT handlers: held lines must leave first.
  loop.on_signal(SIGTERM, [&] { limit_stage.stop(SIGTERM); });
  loop.on_signal(SIGINT, [&] { limit_stage.stop(SIGINT); });
  loop.on_signal(SIGHUP, [&] { limit_stage.reload_tiers(); });
  limit_stage.maintain();
  io.start([&](jsonl::Line&& line, stage::Token token) { limit_stage.on_line(std::move(line), token); },
           [&] { return limit_stage.idle(); });
  loop.run();
  int code = io.exit_code();
  if (code == exit_code::k_ok && limit_stage.signal() == SIGINT) {
    code = exit_code::k_sigint;
  }
  return code;
}

} // namespace m2g::limit
