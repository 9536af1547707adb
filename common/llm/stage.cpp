#include "common/llm/stage.hpp"

#include "common/core/log.hpp"

#include <functional>
#include <string_view>

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

uint64_t Stage::lane_key(const std::string& id) {
  return std::hash<std::string_view>{}(id);
}

void Stage::on_line(jsonl::Line&& line, stage::Token token) {
  if (auto lane = m_lanes.find(lane_key(line.id())); lane != m_lanes.end()) {
    ++m_held; // held lines count too: the drain must wait for them
    auto& queue = lane->second.queue;
    if (!queue) {
      queue = std::make_unique<std::vector<Waiting>>();
    }
    queue->push_back({std::move(line), token});
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
  if (!plan.ask_model || m_titler == nullptr) {
    TitleResult result;
    result.title = std::move(plan.fallback);
    write_job(token, std::move(line.json_value()), result, false);
    return;
  }
  uint64_t key = lane_key(line.id());
  ++m_held;
  if (m_held >= m_max_held && !m_paused) {
    m_paused = true;
    m_io.pause();
  }
  HeldJob& held = m_lanes[key].job.emplace(*this, key, token);
  m_parsed = std::move(line.json_value()); // before take_raw(): json_value() parses the text
  m_parsed_job = &held;
  held.m_raw = line.take_raw();
  m_dispatching = &held;
  m_titler->title(held); // never answers inside title(): the lane and its job stay
  m_dispatching = nullptr;
  held.drop_parsed();
}

nlohmann::json& Stage::HeldJob::job() {
  if (m_stage.m_parsed_job != this) {
    m_stage.m_parsed = nlohmann::json::parse(m_raw); // the line was valid JSON when it was read
    m_stage.m_parsed_job = this;
  }
  return m_stage.m_parsed;
}

void Stage::HeldJob::drop_parsed() {
  if (m_stage.m_parsed_job == this) {
    m_stage.m_parsed_job = nullptr;
    m_stage.m_parsed = nullptr;
  }
}

std::string Stage::HeldJob::title_text() {
  std::string text = text_to_title(job());
  if (m_stage.m_dispatching != this) {
    drop_parsed(); // sent later (a free slot, a retry): the job waits again, for its answer
  }
  return text;
}

std::string Stage::HeldJob::fallback_title() {
  return plan_job(job()).fallback; // the job is written next: its object is kept for that
}

void Stage::HeldJob::title_sent() {
  m_sent = true;
  // The object stays for title_text(), which the Titler asks for next.
  m_stage.m_io.emit(jsonl::dump(progress_event(job(), "title", 40, "generating title…")));
}

void Stage::HeldJob::title_done(TitleResult&& result) {
  m_stage.on_titled(*this, std::move(result)); // ends this object's life
}

void Stage::on_titled(HeldJob& held, TitleResult&& result) {
  nlohmann::json& job = held.job();
  if (!result.from_model) {
    auto id = job.find("id");
    log::debug("job " + (id != job.end() && id->is_string() ? id->get<std::string>() : std::string()) +
               ": fallback title (" + result.reason + ")");
  }
  write_job(held.m_token, std::move(job), result, held.m_sent);
  held.drop_parsed();
  uint64_t key = held.m_lane;
  m_lanes.find(key)->second.job.reset(); // `held` is gone from here on
  --m_held;
  job_done(key);
}

void Stage::write_job(stage::Token token, nlohmann::json job, const TitleResult& result, bool sent) {
  if (sent) {
    m_io.emit(jsonl::dump(progress_event(job, "titled", 60, "title ready")));
  }
  apply_title(job, result, m_loop.clock().unix_ms());
  m_io.finish(token, {jsonl::dump(job)});
}

void Stage::job_done(uint64_t key) {
  // Release the lines that waited behind the job, up to the next job that must wait again.
  while (true) {
    auto it = m_lanes.find(key);
    if (it == m_lanes.end() || it->second.job) {
      break;
    }
    auto& queue = it->second.queue;
    if (!queue || queue->empty()) {
      m_lanes.erase(it);
      break;
    }
    Waiting next = std::move(queue->front());
    queue->erase(queue->begin());
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
