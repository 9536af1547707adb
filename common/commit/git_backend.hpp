#pragma once
// The git backend: each batch runs on a worker thread (libgit2 blocks), against a bare clone
// per repository under the work directory; the report comes back on the loop thread. Batches
// of different repositories run in parallel, one per worker thread.

#include "common/commit/backend.hpp"
#include "common/event/workers.hpp"

namespace m2g::commit {

struct GitBackendOptions {
  std::string workdir; ///< clones live here, one directory per remote
  git::Signature signature;
  int lock_timeout_ms = 60'000;
};

class GitBackend final : public Backend {
public:
  GitBackend(event::Workers& workers, GitBackendOptions options);
  void run(const RepoContext& repo, std::shared_ptr<const std::vector<const Job*>> jobs, Done done) override;

private:
  event::Workers& m_workers;
  GitBackendOptions m_options;
};

} // namespace m2g::commit
