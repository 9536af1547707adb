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
constexpr const char* k_empty_tree = "4b825dc642cb6eb9a060e54bf8d69288fbee4904"; // git's empty tree

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

// A bare repository DIR/OWNER/REPO.git with one empty commit on main, as a GitHub repository
// has from its creation; returns its path.
Result<std::string> seed_github_notebook(const std::string& dir, const std::string& owner, const std::string& repo) {
  std::string path = dir + "/" + owner + "/" + repo + ".git";
  std::error_code ec;
  std::filesystem::create_directories(dir + "/" + owner, ec);
  std::string id_path = dir + "/seed-commit.txt";
  int fd = ::open(id_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  std::string git_dir = "--git-dir=" + path;
  bool ok = !ec && fd >= 0 && run_quietly({"git", "init", "-q", "--bare", "-b", "main", path}) == 0 &&
            run_quietly({"git", git_dir, "hash-object", "-w", "-t", "tree", "/dev/null"}) == 0 &&
            run_quietly({"git", git_dir, "-c", "user.name=m2g-bench", "-c", "user.email=m2g-bench@localhost",
                         "commit-tree", k_empty_tree, "-m", "Initial commit"},
                        fd) == 0;
  if (fd >= 0) {
    ::close(fd);
  }
  std::string commit;
  std::ifstream(id_path) >> commit;
  if (!ok || commit.empty() || run_quietly({"git", git_dir, "update-ref", "refs/heads/main", commit}) != 0) {
    return fail(exit_code::k_cantcreat, "cannot create the fake GitHub's repository " + path);
  }
  return path;
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
    std::filesystem::remove_all(ws->m_dir + "/github", ec);
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
  ws->m_notebook = notebook;

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
  // GitHub: with the fake GitHub, the notebook is a bare repository behind its REST API,
  // reached through m2g-commit's github backend with the scenario's per-commit latency and
  // write limit; without it, the bare repository is pushed to directly (git backend) and those
  // latencies are left out of the ideal.
  // Photos go to the bare repository by git push: through GitHub's REST API every photo is one
  // blob write, and its 80 writes a minute would stretch 10,000 photos over two hours.
  if ((scenario.commit_s > 0 || scenario.writes_per_minute > 0) && !scenario.photos && has_fake(self, "github")) {
    auto seeded = seed_github_notebook(ws->m_dir + "/github", "bench", "notebook");
    if (!seeded) {
      return seeded.failure();
    }
    ws->m_notebook = seeded.value();
    ws->m_seed_commits = 1;
    // The write limit only where the scenario names one (team-repo): the reference's
    // realistic runs model GitHub by its per-commit latency alone.
    double writes = scenario.writes_per_minute > 0 ? scenario.writes_per_minute : 1e6;
    std::vector<std::string> gh_args = {"--repos",      ws->m_dir + "/github", "--writes-per-minute",
                                        number(writes), "--requests-per-hour", "1000000"};
    if (scenario.commit_s > 0) {
      gh_args.insert(gh_args.end(), {"--latency", "commit=" + latency_arg(scenario.commit_s)});
    }
    log = ws->open_log("fake-github");
    auto github = start_fake(self, "github", gh_args, log, k_fake_start);
    ::close(log);
    if (!github) {
      ws->keep("the fake GitHub did not start");
      return github.failure();
    }
    ws->m_github = std::move(*github);
    ws->config.github_url = ws->m_github->url();
    ws->config.github_token = "bench-github-token"; // the fake's; not a secret
    ws->config.writes_per_minute = writes;
    if (scenario.writes_per_minute <= 0) {
      ws->notes.push_back("GitHub's 80 writes/minute is not part of this scenario (team-repo has it)");
    }
    notebook = "bench/notebook";
  } else {
    if (scenario.photos) {
      ws->notes.push_back("photos are pushed with git to a local bare repository (through GitHub's REST API each "
                          "is a blob write, 80 a minute): GitHub's " +
                          number(scenario.commit_s) + " s per commit is not modeled (ideal without it)");
    } else if (scenario.commit_s > 0 || scenario.writes_per_minute > 0) {
      ws->notes.push_back("no fake GitHub in this m2g-bench: commits go to a local bare repository; GitHub's " +
                          number(scenario.commit_s) +
                          " s per commit and its write limit are not modeled (ideal without them)");
    }
    ws->scenario.commit_s = 0;
    ws->scenario.writes_per_minute = 0;
  }

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
  int rc = run_quietly({"git", "--git-dir=" + m_notebook, "rev-list", "--count", "main"}, fd);
  ::close(fd);
  std::ifstream file(out_path);
  size_t count = 0;
  if (rc != 0 || !(file >> count)) {
    return 0; // no main branch: nothing was pushed
  }
  return count > m_seed_commits ? count - m_seed_commits : 0;
}

void Workspace::stop_fakes() {
  for (auto* fake : {&m_telegram, &m_llm, &m_github}) {
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
