#include "common/commit/git_backend.hpp"

#include <filesystem>

namespace m2g::commit {

GitBackend::GitBackend(event::Workers& workers, GitBackendOptions options)
    : m_workers(workers), m_options(std::move(options)) {
  // libgit2 is not started here: the first batch starts it (every git::Repository entry point
  // calls git::ensure_init), so a stage that waits for work does not carry its TLS set-up
  // (libcrypto and mbedtls pages, ~3 MB of RSS) before there is any.
}

void GitBackend::run(const RepoContext& repo, std::shared_ptr<const std::vector<const Job*>> jobs, Done done) {
  GitTarget target;
  target.url = repo.remote.url;
  target.clone_path = (std::filesystem::path(m_options.workdir) / clone_dir_name(repo.remote.url)).string();
  target.branch = repo.branch;
  target.credentials.token = repo.token;
  target.signature = m_options.signature;
  target.plan.repo_name = repo.issues_repo;
  target.lock_timeout_ms = m_options.lock_timeout_ms;
  // The worker reads the jobs while the loop leaves them alone: the batch is not touched
  // again until its report arrives.
  m_workers.submit<BatchReport>([target = std::move(target), jobs] { return run_git_batch(target, *jobs); },
                                std::move(done));
}

} // namespace m2g::commit
