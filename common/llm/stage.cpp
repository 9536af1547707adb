#include "common/llm/stage.hpp"

#include "common/core/log.hpp"

namespace m2g::llm {

Stage::Stage(event::Loop& loop, stage::Io& io, Titler* titler, size_t max_held)
    : m_loop(loop), m_io(io), m_titler(titler), m_max_held(std::max<size_t>(max_held, 2)) {}

void Stage::start() {
  m_io.start([this](jsonl::Line&& line, stage::Token token) { on_line(std::move(line), token); },
             [this] { return m_held == 0; });
}

void Stage::drain() {
  if (m_titler != nullptr) {
    m_titler->cut_short();
  }
}

void Stage::on_line(jsonl::Line&& line, stage::Token token) {
  if (auto lane = m_lanes.find(line.id()); lane != m_lanes.end()) {
    ++m_held; // held lines count too: the drain must wait for them
    lane->second.queue.push_back({std::move(line), token});
    return;
  }
  dispatch(std::move(line), token);
}

void Stage::dispatch(jsonl::Line&& line, stage::Token token) {
  if (line.kind() != jsonl::Kind::job) {
    m_io.pass(std::move(line), token);
    return;
  }
  JobPlan plan = plan_job(line.json_value());
  if (!plan.owned) {
    m_io.pass(std::move(line), token);
    return;
  }
  std::string id = line.id();
  if (!plan.ask_model || m_titler == nullptr) {
    TitleResult result;
    result.title = std::move(plan.fallback);
    write_job(token, std::move(line.json_value()), result, false);
    return;
  }
  m_lanes[id].busy = true;
  ++m_held;
  if (m_held >= m_max_held && !m_paused) {
    m_paused = true;
    m_io.pause();
  }
  auto held = std::make_shared<HeldJob>();
  held->parsed = std::move(line.json_value()); // before take_raw(): json_value() parses the text
  held->raw = line.take_raw();
  m_titler->title(
      plan.text, std::move(plan.fallback),
      [this, held] {
        held->sent = true;
        m_io.emit(jsonl::dump(progress_event(held->job(), "title", 40, "generating title…")));
      },
      [this, held, token, id](TitleResult&& result) {
        if (!result.from_model) {
          log::debug("job " + id + ": fallback title (" + result.reason + ")");
        }
        write_job(token, std::move(held->job()), result, held->sent);
        --m_held;
        job_done(id);
      });
  // The call is in flight for as long as the model takes (seconds, thousands of calls at
  // once): keep the line's text, not its parsed object, which is several times larger
  // (m2g-llm held 10,000 of them at 5 s per title). It is parsed again when needed.
  held->parsed.reset();
}

nlohmann::json& Stage::HeldJob::job() {
  if (!parsed) {
    parsed = nlohmann::json::parse(raw); // the line was valid JSON when it was read
  }
  return *parsed;
}

void Stage::write_job(stage::Token token, nlohmann::json job, const TitleResult& result, bool sent) {
  if (sent) {
    m_io.emit(jsonl::dump(progress_event(job, "titled", 60, "title ready")));
  }
  apply_title(job, result, m_loop.clock().unix_ms());
  m_io.finish(token, {jsonl::dump(job)});
}

void Stage::job_done(const std::string& id) {
  if (auto it = m_lanes.find(id); it != m_lanes.end()) {
    it->second.busy = false;
  }
  // Release the lines that waited behind the job, up to the next job that must wait again.
  while (true) {
    auto it = m_lanes.find(id);
    if (it == m_lanes.end() || it->second.busy) {
      break;
    }
    if (it->second.queue.empty()) {
      m_lanes.erase(it);
      break;
    }
    Waiting next = std::move(it->second.queue.front());
    it->second.queue.erase(it->second.queue.begin());
    --m_held;
    dispatch(std::move(next.line), next.token); // may turn the lane busy again (and rehash)
  }
  if (m_paused && m_held <= m_max_held / 2) {
    m_paused = false;
    m_io.resume();
  }
  m_io.check_done();
}

} // namespace m2g::llm
