#pragma once
// One batch against a git remote, start to end, on a worker thread: lock the clone, fetch,
// plan the jobs on the remote's tip, write one commit, push it. Blocking by design (libgit2
// is); the caller runs it off the event loop and gets a BatchReport back.

#include "common/commit/plan.hpp"
#include "common/git/repository.hpp"

#include <string>
#include <vector>

namespace m2g::commit {

/// Where and how one repository is committed to.
struct GitTarget {
  std::string url;        ///< the remote
  std::string clone_path; ///< its bare clone under --workdir
  std::string branch;     ///< the branch to commit to; "" = the remote's default
  git::Credentials credentials;
  git::Signature signature;
  PlanOptions plan;
  int lock_timeout_ms = 60'000; ///< how long to wait for another process holding the clone
};

/// What a batch attempt came to.
struct BatchReport {
  enum class Status { pushed, rejected, failed } status = Status::failed;
  std::string commit; ///< the commit now at the branch's tip ("" for an empty repository)
  std::string branch; ///< the branch used
  Plan plan;          ///< per-job results (pushed)
  std::string error;  ///< rejected or failed: why, no secrets
  bool retryable = true;
  /// failed: the remote refused what this batch holds (a tree it cannot build), not the
  /// remote itself, so a smaller batch may pass: the stage splits the batch to find the job
  /// at fault instead of failing or retrying every job with it.
  bool isolate = false;
  bool changed = false; ///< a new commit was pushed
};

/// Run one attempt of `jobs` against `target`. Never throws.
BatchReport run_git_batch(const GitTarget& target, const std::vector<const Job*>& jobs);

} // namespace m2g::commit
