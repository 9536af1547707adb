#include "common/bench/setup.hpp"

#include "common/bench/process.hpp"
#include "common/core/exit_codes.hpp"

#include <cmath>
#include <csignal>
#include <cstdlib>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <unistd.h>

namespace m2g::bench {
namespace {

constexpr const char* k_token = "123456:bench-token"; // the fake's; not a secret
constexpr Millis k_fake_start{30000};

std::string self_exe() {
  char buf[4096];
  ssize_t n = ::readlink("/proc/self/exe", buf, sizeof buf - 1);
  return n > 0 ? std::string(buf, static_cast<size_t>(n)) : "m2g-bench";
}

std::string number(double value) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.10g", value);
  return buf;
}

} // namespace

std::string latency_arg(double seconds) {
  return std::to_string(static_cast<long long>(std::llround(seconds * 1e6))) + "us";
}

std::string chat_list(int64_t first_chat, size_t users) {
  std::string out;
  for (size_t i = 0; i < users; ++i) {
    if (i > 0) {
      out += ',';
    }
    out += std::to_string(first_chat + static_cast<int64_t>(i));
  }
  return out;
}

Result<std::unique_ptr<Workspace>> Workspace::create(const Scenario& scenario, const RunOptions& options,
                                                     int64_t first_chat) {
  std::unique_ptr<Workspace> ws(new Workspace());
  ws->scenario = scenario;
  if (options.work_dir.empty()) {
    const char* tmp = std::getenv("TMPDIR");
    std::string pattern = std::string(tmp != nullptr && *tmp != '\0' ? tmp : "/tmp") + "/m2g-bench-XXXXXX";
    if (::mkdtemp(pattern.data()) == nullptr) {
      return fail(exit_code::k_cantcreat, "cannot create a directory under " + pattern);
    }
    ws->m_dir = pattern;
    ws->m_temporary = true;
  } else {
    ws->m_dir = std::filesystem::absolute(options.work_dir).string();
    std::error_code ec;
    std::filesystem::remove_all(ws->m_dir + "/data", ec);
    std::filesystem::remove_all(ws->m_dir + "/notebook.git", ec);
    std::filesystem::create_directories(ws->m_dir, ec);
    if (ec) {
      return fail(exit_code::k_cantcreat, "cannot create " + ws->m_dir + ": " + ec.message());
    }
  }
  ws->m_keep = options.keep;
  std::error_code ec;
  std::filesystem::create_directories(ws->m_dir + "/logs", ec);
  std::filesystem::create_directories(ws->m_dir + "/data/clones", ec);
  if (ec) {
    return fail(exit_code::k_cantcreat, "cannot create " + ws->m_dir + "/data: " + ec.message());
  }
  std::string notebook = ws->m_dir + "/notebook.git";
  if (run_quietly({"git", "init", "-q", "--bare", "-b", "main", notebook}) != 0) {
    return fail(exit_code::k_unavailable, "git init --bare " + notebook + " failed (is git installed?)");
  }

  // The fake Telegram: the scenario's sending limits (per chat as Telegram's, 1/s burst 3).
  std::string self = self_exe();
  std::vector<std::string> tg_args = {"--token",        k_token,
                                      "--global-rate",  number(scenario.telegram_rate),
                                      "--global-burst", number(std::max(1.0, scenario.telegram_rate))};
  if (scenario.telegram_call_s > 0) {
    for (const char* method : {"sendMessage", "editMessageText", "answerCallbackQuery"}) {
      tg_args.insert(tg_args.end(), {"--latency", std::string(method) + "=" + latency_arg(scenario.telegram_call_s)});
    }
  }
  int log = ws->open_log("fake-telegram");
  auto telegram = start_fake(self, "telegram", tg_args, log, k_fake_start);
  ::close(log);
  if (!telegram) {
    ws->keep("the fake Telegram did not start");
    return telegram.failure();
  }
  ws->m_telegram = std::move(*telegram);

  // The fake LLM, when this m2g-bench has it; otherwise no LLM (fallback titles) and the
  // ideal time without its latency.
  if (has_fake(self, "llm")) {
    log = ws->open_log("fake-llm");
    auto llm = start_fake(self, "llm", {"--latency", latency_arg(scenario.llm_s)}, log, k_fake_start);
    ::close(log);
    if (!llm) {
      ws->keep("the fake LLM did not start");
      return llm.failure();
    }
    ws->m_llm = std::move(*llm);
    ws->config.llm_url = ws->m_llm->url() + "/v1";
  } else {
    ws->notes.push_back("no fake LLM in this m2g-bench: titles are fallbacks, the LLM's " +
                        latency_arg(scenario.llm_s) + " is not modeled (ideal without it)");
    ws->scenario.llm_s = 0;
  }
  // GitHub: the notebook is a local bare repository (m2g-commit's git backend); the fake
  // GitHub's per-commit latency is not modeled by this runner yet.
  if (scenario.commit_s > 0 || scenario.writes_per_minute > 0) {
    ws->notes.push_back("commits go to a local bare repository: GitHub's " + latency_arg(scenario.commit_s) +
                        " per commit and its write limit are not modeled (ideal without them)");
  }
  ws->scenario.commit_s = 0;
  ws->scenario.writes_per_minute = 0;

  // A key for the tokens chats may set (none do here; m2g-commit wants one with settings.db).
  ws->config.key_file = ws->m_dir + "/data/key.hex";
  {
    std::ifstream random("/dev/urandom", std::ios::binary);
    unsigned char bytes[32] = {};
    random.read(reinterpret_cast<char*>(bytes), sizeof bytes);
    int fd = ::open(ws->config.key_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    std::string hex;
    for (unsigned char byte : bytes) {
      char pair[3];
      std::snprintf(pair, sizeof pair, "%02x", byte);
      hex += pair;
    }
    if (!random || fd < 0 || ::write(fd, hex.data(), hex.size()) != static_cast<ssize_t>(hex.size())) {
      if (fd >= 0) {
        ::close(fd);
      }
      return fail(exit_code::k_cantcreat, "cannot write " + ws->config.key_file);
    }
    ::close(fd);
  }
  // Every chat's messages go to the one notebook (no chat sets its own repository).
  ws->scenario.repos = RepoModel::shared;
  ws->config.data_dir = ws->m_dir + "/data";
  ws->config.progress = scenario.progress;
  ws->config.telegram_url = ws->m_telegram->url();
  ws->config.telegram_token = k_token;
  ws->config.allowed_chats = chat_list(first_chat, scenario.users);
  ws->config.repo = notebook;
  ws->config.limit_rate = scenario.limit_rate;
  ws->config.limit_burst = scenario.limit_burst;
  ws->config.user_rate = scenario.user_rate;
  ws->config.user_burst = scenario.user_burst;
  ws->config.telegram_rate = scenario.telegram_rate;
  return ws;
}

Workspace::~Workspace() {
  stop_fakes();
  if (m_temporary && !m_keep) {
    std::error_code ec;
    std::filesystem::remove_all(m_dir, ec);
  }
}

int Workspace::open_log(const std::string& name) const {
  return ::open(log_path(name).c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
}

std::string Workspace::log_path(const std::string& name) const {
  return m_dir + "/logs/" + name + ".log";
}

size_t Workspace::count_commits() const {
  std::string out_path = m_dir + "/logs/commits.txt";
  int fd = ::open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  int rc = run_quietly({"git", "--git-dir=" + m_dir + "/notebook.git", "rev-list", "--count", "main"}, fd);
  ::close(fd);
  std::ifstream file(out_path);
  size_t count = 0;
  if (rc != 0 || !(file >> count)) {
    return 0; // no main branch: nothing was pushed
  }
  return count;
}

void Workspace::stop_fakes() {
  for (auto* fake : {&m_telegram, &m_llm}) {
    if (*fake) {
      (*fake)->child.signal(SIGTERM);
      (*fake)->child.reap(true);
      fake->reset();
    }
  }
}

void Workspace::keep(const std::string& why) {
  m_keep = true;
  if (m_keep_why.empty()) {
    m_keep_why = why;
  }
}

std::string Workspace::kept_note() const {
  if (!m_keep) {
    return "";
  }
  return "work directory kept: " + m_dir + (m_keep_why.empty() ? "" : " (" + m_keep_why + ")");
}

} // namespace m2g::bench
