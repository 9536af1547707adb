#include "common/commit/git_batch.hpp"

#include "common/commit/remote.hpp"
#include "common/core/exit_codes.hpp"
#include "common/core/log.hpp"

#include <cerrno>
#include <chrono>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <sys/file.h>
#include <thread>
#include <unistd.h>

namespace m2g::commit {
namespace {

namespace fs = std::filesystem;

// An exclusive lock on one clone, held for a whole batch: two m2g-commit processes sharing a
// workdir take turns instead of fetching and committing into one repository at once.
class CloneLock {
public:
  static Result<CloneLock> acquire(const std::string& path, int timeout_ms) {
    int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) {
      return fail(exit_code::k_cantcreat, "cannot open lock file '" + path + "': " + std::strerror(errno));
    }
    auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
    while (flock(fd, LOCK_EX | LOCK_NB) != 0) {
      if (errno != EWOULDBLOCK && errno != EINTR) {
        int error = errno;
        ::close(fd);
        return fail(exit_code::k_ioerr, "cannot lock '" + path + "': " + std::strerror(error));
      }
      if (std::chrono::steady_clock::now() > deadline) {
        ::close(fd);
        return fail(exit_code::k_tempfail, "another process holds '" + path + "'");
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return CloneLock(fd);
  }
  CloneLock(CloneLock&& other) noexcept : m_fd(std::exchange(other.m_fd, -1)) {}
  CloneLock(const CloneLock&) = delete;
  CloneLock& operator=(const CloneLock&) = delete;
  CloneLock& operator=(CloneLock&&) = delete;
  ~CloneLock() {
    if (m_fd >= 0) {
      ::close(m_fd); // closing releases the flock
    }
  }

private:
  explicit CloneLock(int fd) : m_fd(fd) {}
  int m_fd = -1;
};

// git's own lock files (refs/heads/main.lock, packed-refs.lock, ...) left by a process killed
// in the middle of a ref update. Every writer of a clone holds its CloneLock, so whoever holds
// it now knows such a file is stale; left alone, it fails every later fetch into the clone.
void remove_stale_git_locks(const std::string& clone) {
  // Explicit increment(ec): a directory that vanishes mid-walk must end the walk, not throw
  // out of a batch running on a worker thread.
  auto sweep = [](auto it) {
    std::error_code ec;
    for (decltype(it) end; it != end; it.increment(ec)) {
      if (ec) {
        return;
      }
      if (it->path().extension() == ".lock" && it->is_regular_file(ec)) {
        log::info("removing the stale lock file '" + it->path().string() + "'");
        fs::remove(it->path(), ec);
      }
    }
  };
  std::error_code ec;
  sweep(fs::directory_iterator(clone, ec)); // HEAD.lock, packed-refs.lock, config.lock
  for (const char* dir : {"refs", "logs"}) {
    sweep(fs::recursive_directory_iterator(fs::path(clone) / dir, ec));
  }
}

// The files of the tip the batch builds on.
class TipSource final : public FileSource {
public:
  TipSource(git::Repository& repo, std::optional<git::Oid> tip) : m_repo(repo), m_tip(std::move(tip)) {}
  Result<FileBytes> read(const std::string& path) override {
    if (!m_tip) {
      return FileBytes();
    }
    auto bytes = m_repo.read_file(*m_tip, path);
    if (!bytes.ok()) {
      return bytes.failure();
    }
    return bytes.value() ? std::make_shared<const std::string>(std::move(*bytes.value())) : FileBytes();
  }
  Result<PathKind> kind(const std::string& path) override {
    if (!m_tip) {
      return PathKind::absent;
    }
    auto found = m_repo.has_path(*m_tip, path);
    if (!found.ok()) {
      return found.failure();
    }
    if (!found.value()) {
      return PathKind::absent;
    }
    // Whatever is not a blob (a tree, a submodule) reads as no file.
    auto bytes = m_repo.read_file(*m_tip, path);
    if (!bytes.ok()) {
      return bytes.failure();
    }
    return bytes.value() ? PathKind::file : PathKind::folder;
  }

private:
  git::Repository& m_repo;
  std::optional<git::Oid> m_tip;
};

bool retryable(int exit) {
  return exit != exit_code::k_noperm && exit != exit_code::k_config && exit != exit_code::k_dataerr &&
         exit != exit_code::k_unavailable;
}

Result<git::Repository> clone_fresh(const GitTarget& target) {
  std::error_code ec;
  fs::remove_all(target.clone_path, ec);
  std::string tmp = target.clone_path + ".tmp-" + std::to_string(getpid());
  fs::remove_all(tmp, ec);
  {
    auto cloned = git::Repository::clone_bare(target.url, tmp, target.credentials);
    if (!cloned.ok()) {
      fs::remove_all(tmp, ec);
      return cloned.failure();
    }
  }
  fs::rename(tmp, target.clone_path, ec);
  if (ec) {
    return fail(exit_code::k_cantcreat, "cannot move the new clone into place: " + ec.message());
  }
  return git::Repository::open(target.clone_path);
}

// Open the clone, or make it when it is missing or not a repository of this remote.
Result<git::Repository> open_clone(const GitTarget& target, bool& fresh) {
  fresh = false;
  if (fs::exists(target.clone_path)) {
    auto repo = git::Repository::open(target.clone_path);
    if (repo.ok()) {
      // libgit2 stores local paths made absolute; the directory name already ties the
      // clone to its remote, so a different spelling is corrected, not cloned again.
      auto origin = repo->origin_url();
      if (origin.ok() && (origin.value() == target.url || repo->set_origin_url(target.url).ok())) {
        return repo;
      }
    }
    log::warn("the clone of " + describe_remote(target.url).display + " is broken; cloning it again");
  }
  fresh = true;
  return clone_fresh(target);
}

std::string pick_branch(const GitTarget& target, git::Repository& repo) {
  if (!target.branch.empty()) {
    return target.branch;
  }
  if (git::is_local_url(target.url)) {
    auto remote = git::Repository::open(git::local_path(target.url));
    if (remote.ok()) {
      std::string head = remote->head_branch();
      if (!head.empty()) {
        return head;
      }
    }
  }
  std::string head = repo.head_branch();
  if (!head.empty()) {
    auto tip = repo.resolve("refs/remotes/origin/" + head);
    if (tip.ok() && tip.value()) {
      return head;
    }
  }
  return "main";
}

BatchReport failed(const Failure& failure) {
  BatchReport report;
  report.status = BatchReport::Status::failed;
  report.error = failure.message;
  report.retryable = retryable(failure.exit_code);
  return report;
}

} // namespace

BatchReport run_git_batch(const GitTarget& target, const std::vector<const Job*>& jobs) {
  std::error_code ec;
  fs::create_directories(fs::path(target.clone_path).parent_path(), ec);
  auto lock = CloneLock::acquire(target.clone_path + ".lock", target.lock_timeout_ms);
  if (!lock.ok()) {
    return failed(lock.failure());
  }
  remove_stale_git_locks(target.clone_path);
  bool fresh = false;
  auto repo = open_clone(target, fresh);
  if (!repo.ok()) {
    return failed(repo.failure());
  }
  // The clone is one per remote, shared by the batches of every owner of credentials for it
  // (Committer groups jobs by both). Each batch fetches with its own credentials before it
  // reads anything of the clone, and a failed fetch ends the batch: what another owner's
  // token fetched is never read, planned on or answered from for a batch the remote refuses.
  auto fetched = repo->fetch(target.credentials);
  if (!fetched.ok() && !fresh && fetched.failure().exit_code == exit_code::k_software) {
    // Not the network, not credentials: the clone itself is damaged. Start over once.
    log::warn("fetching into the clone failed (" + fetched.error() + "); cloning it again");
    repo = clone_fresh(target);
    if (!repo.ok()) {
      return failed(repo.failure());
    }
    fetched = repo->fetch(target.credentials);
  }
  if (!fetched.ok()) {
    return failed(fetched.failure());
  }
  BatchReport report;
  report.branch = pick_branch(target, repo.value());
  auto tip = repo->resolve("refs/remotes/origin/" + report.branch);
  if (!tip.ok()) {
    return failed(tip.failure());
  }
  TipSource source(repo.value(), tip.value());
  auto plan = make_plan(jobs, source, target.plan);
  if (!plan.ok()) {
    return failed(plan.failure());
  }
  report.plan = std::move(plan.value());
  report.commit = tip.value().value_or("");
  if (report.plan.writes.empty()) {
    report.status = BatchReport::Status::pushed; // nothing new: every job is a duplicate or a listing
    return report;
  }
  std::vector<git::FileWrite> files;
  files.reserve(report.plan.writes.size());
  for (auto& write : report.plan.writes) {
    files.push_back({write.path, std::move(write.content)});
  }
  report.plan.writes.clear();
  auto commit = repo->commit_files(tip.value(), files, target.signature, report.plan.message);
  if (!commit.ok()) {
    // libgit2 refusing the tree it was asked for is about what the batch holds (planning
    // catches the cases known beforehand); the OS failing to write objects is not.
    BatchReport refused = failed(commit.failure());
    refused.isolate = commit.failure().exit_code == exit_code::k_software;
    return refused;
  }
  auto pushed = repo->push(target.url, commit.value(), report.branch, tip.value(), target.credentials);
  if (!pushed.ok()) {
    return failed(pushed.failure());
  }
  if (!pushed->pushed) {
    report.status = BatchReport::Status::rejected;
    report.error = pushed->reason;
    return report;
  }
  // Keep the clone's refs where the remote is now, so the next fetch has nothing to do.
  (void)repo->set_ref("refs/remotes/origin/" + report.branch, commit.value());
  (void)repo->set_ref("refs/heads/" + report.branch, commit.value());
  report.status = BatchReport::Status::pushed;
  report.commit = commit.value();
  report.changed = true;
  return report;
}

} // namespace m2g::commit
