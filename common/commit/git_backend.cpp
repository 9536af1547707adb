#include "common/commit/git_backend.hpp"

#include "common/core/log.hpp"

#include <algorithm>
#include <chrono>
#include <fcntl.h>
#include <filesystem>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

namespace m2g::commit {
namespace {

namespace fs = std::filesystem;

int64_t wall_ms() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

int64_t mtime_ms(const fs::path& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    return 0;
  }
  return int64_t{st.st_mtim.tv_sec} * 1000 + st.st_mtim.tv_nsec / 1'000'000;
}

} // namespace

std::string chat_facing_error(const std::string& detail, bool retryable) {
  // m2g's own words, which tell the chat what it can change and nothing about the network.
  for (std::string_view own : {"the repository's address is not allowed", "only accepts repositories on its allowed",
                               "the repository is larger than this server accepts", "the remote refused the token",
                               "the remote wants credentials"}) {
    if (detail.find(own) != std::string::npos) {
      return std::string(detail.substr(detail.find(own)));
    }
  }
  return retryable ? "the repository could not be reached (will try again later; the server's log has the details)"
                   : "the repository refused the request or could not be used (the server's log has the details)";
}

GitBackend::GitBackend(event::Workers& workers, event::Workers& chats, GitBackendOptions options)
    : m_workers(workers), m_chat_workers(chats), m_options(std::move(options)) {
  // libgit2 is not started here: the first batch starts it (every git::Repository entry point
  // calls git::ensure_init), so a stage that waits for work does not carry its TLS set-up
  // (libcrypto and mbedtls pages, ~3 MB of RSS) before there is any.
  if (!m_options.default_remote.empty()) {
    m_default_clone = (fs::path(m_options.workdir) / clone_dir_name(m_options.default_remote)).string();
  }
}

void GitBackend::run(const RepoContext& repo, std::shared_ptr<const std::vector<const Job*>> jobs, Done done) {
  GitTarget target;
  target.url = repo.remote.url;
  target.clone_path = (fs::path(m_options.workdir) / clone_dir_name(repo.remote.url)).string();
  target.branch = repo.branch;
  target.credentials.token = repo.token;
  target.signature = m_options.signature;
  target.plan.repo_name = repo.issues_repo;
  target.lock_timeout_ms = m_options.lock_timeout_ms;
  bool chat = repo.remote.url != m_options.default_remote;
  git::NetPolicy policy;
  policy.limits = m_options.limits;
  if (chat) {
    policy.limits.max_bytes = m_options.chat_max_bytes;
    policy.addresses = m_options.addresses;
  }
  sweep_idle_clones();
  ++m_in_use[target.clone_path];
  // The worker reads the jobs while the loop leaves them alone: the batch is not touched
  // again until its report arrives.
  auto work = [target, jobs, policy = std::move(policy)] {
    git::ScopedNetPolicy scope(policy);
    return run_git_batch(target, *jobs);
  };
  auto finish = [this, clone = target.clone_path, chat, local = repo.remote.local, display = repo.remote.display,
                 done = std::move(done)](BatchReport report) {
    if (--m_in_use[clone] == 0) {
      m_in_use.erase(clone);
    }
    if (chat && !local && report.status == BatchReport::Status::failed && !report.error.empty()) {
      log::warn("chat repository " + display + ": " + report.error);
      report.error = chat_facing_error(report.error, report.retryable);
    }
    done(std::move(report));
  };
  (chat ? m_chat_workers : m_workers).submit<BatchReport>(std::move(work), std::move(finish));
}

void GitBackend::sweep_idle_clones() {
  int64_t idle = m_options.chat_clone_idle_ms;
  int64_t now = wall_ms();
  if (idle <= 0 || now < m_next_sweep_ms) {
    return;
  }
  m_next_sweep_ms = now + std::max<int64_t>(idle / 10, 1000);
  std::error_code ec;
  for (fs::directory_iterator it(m_options.workdir, ec), end; !ec && it != end; it.increment(ec)) {
    const fs::path& path = it->path();
    if (path.extension() != ".git" || path.string() == m_default_clone || m_in_use.count(path.string()) ||
        !it->is_directory(ec)) {
      continue;
    }
    // Every batch fetches, so FETCH_HEAD's time is its clone's last use, by any process.
    int64_t used = std::max(mtime_ms(path / "FETCH_HEAD"), mtime_ms(path));
    if (now - used < idle) {
      continue;
    }
    // The lock a batch holds on its clone (git_batch.cpp): a process using it now keeps it.
    std::string lock_path = path.string() + ".lock";
    int fd = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0 || ::flock(fd, LOCK_EX | LOCK_NB) != 0) {
      if (fd >= 0) {
        ::close(fd);
      }
      continue;
    }
    std::error_code removed;
    fs::remove_all(path, removed);
    log::info("removed the clone " + path.filename().string() + ", unused for " +
              std::to_string((now - used) / 3'600'000) + " h" + (removed ? ": " + removed.message() : ""));
    ::unlink(lock_path.c_str());
    ::close(fd);
  }
}

} // namespace m2g::commit
