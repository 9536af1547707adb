#include "common/bench/runner.hpp"

#include "common/bench/fakes.hpp"
#include "common/bench/observe.hpp"
#include "common/bench/pipeline.hpp"
#include "common/bench/process.hpp"
#include "common/bench/progress_bar.hpp"
#include "common/bench/setup.hpp"
#include "common/core/exit_codes.hpp"
#include "common/event/loop.hpp"
#include "common/github/base64.hpp"
#include "common/http/client.hpp"

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <fcntl.h>
#include <unistd.h>

namespace m2g::bench {
namespace {

constexpr int64_t k_first_chat = 100001;
constexpr Millis k_tick{100};

http::ClientRequest get(std::string url) {
  http::ClientRequest request;
  request.url = std::move(url);
  return request;
}

enum class Phase { starting, running, confirming, stopping, done };

class Run {
public:
  Run(const Scenario& scenario, const RunOptions& options, Workspace& workspace)
      : m_scenario(scenario), m_options(options), m_ws(workspace), m_client(m_loop, {64, 0}),
        m_confirms(k_first_chat, scenario.users, scenario.messages), m_bar(STDERR_FILENO, options.progress_bar) {}

  Run(const Run&) = delete;
  Run& operator=(const Run&) = delete;
  /// Whatever still runs (a failed start, an early return) is killed, never left behind.
  ~Run() {
    for (auto& stage : m_stages) {
      if (!stage.reap(false)) {
        stage.signal(SIGKILL);
        stage.reap(true);
      }
    }
    if (m_out_fd >= 0) {
      ::close(m_out_fd);
    }
  }

  Result<RunFigures> go();

private:
  Result<void> start_stages();
  void tick();
  void check_started();
  void inject();
  void send_bulk(const std::string& prefix);
  void read_output();
  void confirm_round();
  void begin_stopping(const std::string& why);
  double elapsed() const { return std::chrono::duration<double>(m_loop.now() - m_t0).count(); }
  void abort(const std::string& why);
  nlohmann::json get_json(const std::string& url);

  const Scenario& m_scenario;
  const RunOptions& m_options;
  Workspace& m_ws;
  event::Loop m_loop;
  http::Client m_client;
  std::vector<Child> m_stages;
  int m_out_fd = -1;
  Phase m_phase = Phase::starting;
  TimePoint m_t0{};
  TimePoint m_stop_deadline{};
  bool m_started_poll_pending = false;
  ResultTally m_tally;
  ConfirmTracker m_confirms;
  size_t m_confirm_inflight = 0;
  ProgressBar m_bar;
  RunFigures m_figures;
  std::string m_abort;
};

Result<void> Run::start_stages() {
  for (const auto& stage : build_pipeline(m_ws.config)) {
    auto path = find_binary(stage.name);
    if (!path) {
      return fail(exit_code::k_unavailable, stage.name + " is neither next to m2g-bench nor on PATH");
    }
    ChildSpec spec;
    spec.name = stage.name;
    spec.argv = {*path};
    spec.argv.insert(spec.argv.end(), stage.args.begin(), stage.args.end());
    spec.env = pipeline_env(m_ws.config);
    spec.env.push_back("M2G_LOG_LEVEL=" + m_options.stage_log_level);
    int out_pipe[2] = {-1, -1};
    if (stage.writes_stdout) {
      if (::pipe2(out_pipe, O_CLOEXEC) != 0) {
        return fail(exit_code::k_software, "pipe failed");
      }
      spec.stdout_fd = out_pipe[1];
    }
    int log_fd = m_ws.open_log(stage.name);
    spec.stderr_fd = log_fd;
    auto child = Child::spawn(spec);
    ::close(log_fd);
    if (out_pipe[1] >= 0) {
      ::close(out_pipe[1]);
    }
    if (!child) {
      return child.failure();
    }
    if (out_pipe[0] >= 0) {
      m_out_fd = out_pipe[0];
      ::fcntl(m_out_fd, F_SETFL, ::fcntl(m_out_fd, F_GETFL) | O_NONBLOCK);
      m_loop.watch(m_out_fd, event::k_readable, [this](uint32_t) { read_output(); });
    }
    m_stages.push_back(std::move(*child));
  }
  return {};
}

void Run::read_output() {
  char buf[65536];
  while (true) {
    ssize_t n = ::read(m_out_fd, buf, sizeof buf);
    if (n > 0) {
      m_tally.feed(std::string_view(buf, static_cast<size_t>(n)), m_phase == Phase::starting ? 0 : elapsed());
      continue;
    }
    if (n == 0 || (errno != EAGAIN && errno != EINTR)) {
      m_loop.unwatch(m_out_fd);
      ::close(m_out_fd);
      m_out_fd = -1;
    }
    return;
  }
}

// The stages are up once m2g-poll asks the fake Telegram for updates; only then is the clock
// started, so the figures measure the pipeline, not process start-up.
void Run::check_started() {
  if (m_started_poll_pending) {
    return;
  }
  m_started_poll_pending = true;
  m_client.send(get(m_ws.telegram_url() + "/control/stats"), [this](http::ClientResponse&& response) {
    m_started_poll_pending = false;
    auto json = nlohmann::json::parse(response.body, nullptr, false);
    if (m_phase == Phase::starting && json.is_object() &&
        json.value("requests", nlohmann::json::object()).value("getUpdates", 0) > 0) {
      inject();
    }
  });
}

void Run::inject() {
  m_phase = Phase::running;
  if (!m_scenario.interactive) {
    send_bulk(m_scenario.photos ? "#inbox bench photo" : "#inbox bench note");
    return;
  }
  // The keyboard-and-click flow: the messages carry no #target, so m2g-route asks where to
  // file each; the fake's people press 📥 INBOX as soon as a keyboard reaches them.
  http::ClientRequest request;
  request.method = "POST";
  request.url = m_ws.telegram_url() + "/control/autoclick";
  request.headers = {"Content-Type: application/json"};
  request.body = nlohmann::json{{"label", "INBOX"}}.dump();
  m_client.send(std::move(request), [this](http::ClientResponse&& response) {
    if (response.status != 200) {
      abort("the fake Telegram refused auto-click: " + std::to_string(response.status) + " " + response.body);
      return;
    }
    send_bulk("bench note");
  });
}

void Run::send_bulk(const std::string& prefix) {
  nlohmann::json body = {
      {"count", m_scenario.messages}, {"prefix", prefix}, {"first_chat_id", k_first_chat}, {"chats", m_scenario.users}};
  if (m_scenario.photos) {
    // A stand-in for a phone photo's bytes: fetched with getFile, downloaded and committed,
    // so their size is what costs; 16 KB each keeps 10,000 of them at 160 MB.
    std::string jpeg = "\xff\xd8\xff\xe0";
    jpeg.resize(16 << 10, 'x');
    body["photo"] = true;
    body["data_base64"] = github::base64_encode(jpeg);
  }
  m_figures.load_before = load_average();
  m_t0 = m_loop.now();
  http::ClientRequest request;
  request.method = "POST";
  request.url = m_ws.telegram_url() + "/control/bulk";
  request.headers = {"Content-Type: application/json"};
  request.body = body.dump();
  m_client.send(std::move(request), [this](http::ClientResponse&& response) {
    auto json = nlohmann::json::parse(response.body, nullptr, false);
    if (response.status != 200 || !json.is_object()) {
      abort("the fake Telegram refused the messages: " + std::to_string(response.status) + " " + response.body);
      return;
    }
    m_figures.injected = json.value("count", size_t{0});
  });
}

void Run::confirm_round() {
  auto pending = m_confirms.pending();
  if (pending.empty()) {
    m_figures.confirm_complete = true;
    begin_stopping("");
    return;
  }
  m_confirm_inflight = pending.size();
  for (int64_t chat : pending) {
    m_client.send(get(m_ws.telegram_url() + "/control/chat?chat_id=" + std::to_string(chat)),
                  [this, chat](http::ClientResponse&& response) {
                    auto json = nlohmann::json::parse(response.body, nullptr, false);
                    m_confirms.seen(chat, confirmations(json), elapsed());
                    if (--m_confirm_inflight == 0 && m_phase == Phase::confirming) {
                      if (m_confirms.complete()) {
                        m_figures.confirm_complete = true;
                        begin_stopping("");
                      } else {
                        m_loop.after(Millis(500), [this] { confirm_round(); });
                      }
                    }
                  });
  }
}

void Run::abort(const std::string& why) {
  if (m_abort.empty()) {
    m_abort = why;
  }
  begin_stopping(why);
}

void Run::begin_stopping(const std::string& why) {
  if (m_phase == Phase::stopping || m_phase == Phase::done) {
    return;
  }
  if (!why.empty()) {
    m_figures.notes.push_back(why);
  }
  m_phase = Phase::stopping;
  m_figures.load_after = load_average();
  for (auto& stage : m_stages) {
    stage.sample(); // VmHWM is a high-water mark: this sample is the peak so far
    stage.signal(SIGTERM);
  }
  m_stop_deadline = m_loop.now() + std::chrono::seconds(60);
}

void Run::tick() {
  bool all_exited = true;
  for (auto& stage : m_stages) {
    stage.sample();
    if (!stage.reap(false)) {
      all_exited = false;
    } else if (m_phase != Phase::stopping && m_phase != Phase::done) {
      abort(stage.name() + " exited with " + std::to_string(stage.exit_code()) +
            " during the run (its log: " + m_ws.log_path(stage.name()) + ")");
    }
  }
  double t = m_phase == Phase::starting ? 0 : elapsed();
  switch (m_phase) {
  case Phase::starting:
    check_started();
    break;
  case Phase::running:
    if (m_tally.succeeded() + m_tally.failed() >= m_scenario.messages) {
      m_figures.total_s = m_tally.last_result_s();
      if (m_scenario.progress) {
        m_phase = Phase::confirming;
        confirm_round();
      } else {
        begin_stopping("");
      }
    } else if (t > m_options.timeout_s) {
      m_figures.total_s = t;
      abort("timed out after " + std::to_string(static_cast<int>(t)) + " s with " +
            std::to_string(m_tally.succeeded()) + " messages committed");
    }
    break;
  case Phase::confirming:
    if (t > m_figures.total_s + m_options.confirm_timeout_s) {
      m_figures.notes.push_back("stopped waiting for confirmations after " + std::to_string(static_cast<int>(t)) +
                                " s");
      begin_stopping("");
    }
    break;
  case Phase::stopping:
    if (all_exited && m_out_fd < 0) {
      m_phase = Phase::done;
      m_loop.stop();
    } else if (m_loop.now() > m_stop_deadline) {
      for (auto& stage : m_stages) {
        stage.signal(SIGKILL);
      }
      if (m_out_fd >= 0) {
        m_loop.unwatch(m_out_fd);
        ::close(m_out_fd);
        m_out_fd = -1;
      }
    }
    break;
  case Phase::done:
    break;
  }
  if (m_phase != Phase::done) {
    m_bar.draw(
        {m_scenario.messages, m_figures.injected, m_tally.succeeded(), m_confirms.confirmed(), m_tally.failed(), t});
    m_loop.after(k_tick, [this] { tick(); });
  }
}

nlohmann::json Run::get_json(const std::string& url) {
  nlohmann::json out;
  bool done = false;
  m_client.send(get(url), [&](http::ClientResponse&& response) {
    out = nlohmann::json::parse(response.body, nullptr, false);
    done = true;
  });
  while (!done) {
    m_loop.run_once(Millis(100));
  }
  return out.is_object() ? out : nlohmann::json::object();
}

Result<RunFigures> Run::go() {
  M2G_TRY(start_stages());
  m_loop.on_signal(SIGINT, [this] { abort("interrupted"); });
  m_loop.on_signal(SIGTERM, [this] { abort("terminated"); });
  m_loop.defer([this] { tick(); });
  m_loop.run();
  m_bar.clear();

  // What the fakes saw, read before they are stopped.
  auto stats = get_json(m_ws.telegram_url() + "/control/stats");
  for (const char* method :
       {"sendMessage", "editMessageText", "editMessageReplyMarkup", "answerCallbackQuery", "deleteMessage"}) {
    m_figures.telegram_calls += stats.value("requests", nlohmann::json::object()).value(method, size_t{0});
  }
  m_figures.scenario = m_scenario;
  m_figures.succeeded = m_tally.succeeded();
  m_figures.failed = m_tally.failed();
  m_figures.llm_calls = m_tally.llm_titles();
  if (!m_ws.llm_url().empty()) {
    // The fake LLM counts what it answered (retries included).
    auto llm = get_json(m_ws.llm_url() + "/stats");
    if (auto it = llm.find("requests"); it != llm.end() && it->is_number_unsigned()) {
      m_figures.llm_calls = it->get<size_t>();
    }
  }
  m_figures.end_to_end = m_tally.latencies();
  m_figures.confirm = m_confirms.latencies();
  m_figures.confirmed = m_confirms.confirmed();
  m_figures.confirm_s = m_confirms.last_s();
  if (m_figures.total_s == 0) {
    m_figures.total_s = m_tally.last_result_s();
  }
  m_figures.commits = m_ws.count_commits();
  m_figures.pushes = m_figures.commits; // one push (or GitHub ref update) per commit
  for (const auto& stage : m_stages) {
    m_figures.stages.push_back(
        {stage.name(), static_cast<double>(stage.peak_rss_kb()) / 1024.0, stage.exit_code(), stage.cpu_s()});
  }
  if (m_tally.bad_lines() > 0) {
    m_figures.notes.push_back(std::to_string(m_tally.bad_lines()) + " output lines were not JSON");
  }
  return m_figures;
}

} // namespace

std::vector<std::string> missing_binaries(const Scenario& scenario) {
  std::vector<std::string> missing;
  for (const auto& name : stage_names(scenario.progress)) {
    if (!find_binary(name)) {
      missing.push_back(name);
    }
  }
  return missing;
}

Result<RunFigures> run_scenario(const Scenario& scenario, const RunOptions& options) {
  if (auto missing = missing_binaries(scenario); !missing.empty()) {
    return fail(exit_code::k_unavailable, missing.front() + " is neither next to m2g-bench nor on PATH");
  }
  auto created = Workspace::create(scenario, options, k_first_chat);
  if (!created) {
    return created.failure();
  }
  Workspace& workspace = **created;
  Run run(workspace.scenario, options, workspace);
  auto figures = run.go();
  workspace.stop_fakes();
  if (!figures) {
    workspace.keep("the run failed");
    return figures;
  }
  figures->ideal = ideal_times(workspace.scenario.ideal_inputs(workspace.config.commit_batch_max, 4));
  figures->scenario = workspace.scenario;
  for (auto& note : workspace.notes) {
    figures->notes.push_back(note);
  }
  bool ok = figures->success_pct() >= 100 && (figures->confirm_complete || !scenario.progress);
  if (!ok) {
    workspace.keep("not every message was committed and confirmed");
  }
  if (!workspace.kept_note().empty()) {
    figures->notes.push_back(workspace.kept_note());
  }
  return figures;
}

} // namespace m2g::bench
