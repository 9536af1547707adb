#pragma once
// The seams of m2g-commit: where a batch is committed (a Backend), where a repository's token
// comes from (a TokenSource), and what a job needs before it can join a batch (a Preparer:
// fetching a photo, opening a GitHub issue). All of them are driven from the event loop.

#include "common/commit/git_batch.hpp"
#include "common/commit/job.hpp"
#include "common/commit/remote.hpp"
#include "common/core/error.hpp"

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace m2g::commit {

/// One repository jobs are committed to, with one owner's credentials. Credentials belong to
/// the jobs that brought them: jobs of two chats naming one repository are two RepoContexts,
/// so no batch, request or cache ever lends one chat's token to another chat's job.
struct RepoContext {
  RemoteInfo remote;
  std::string branch;               ///< configured, or learned from the first batch
  std::optional<std::string> token; ///< for HTTPS remotes and the GitHub API
  std::string issues_repo;          ///< "owner/repo" whose issues issue jobs use, "" if none
  /// Whose credentials `token` is: "operator" (the default repository's), "chat:ID" (the token
  /// that chat stored) or "none". Backends keep what they learn of a repository per owner.
  std::string owner = "operator";
};

/// Commits batches. run() is called on the loop thread and `done` must be called on the loop
/// thread too, exactly once per run.
class Backend {
public:
  virtual ~Backend() = default;
  using Done = std::function<void(BatchReport)>;
  virtual void run(const RepoContext& repo, std::shared_ptr<const std::vector<const Job*>> jobs, Done done) = 0;
};

/// Where tokens come from. Today: the one token of the default repository (M2G_GITHUB_TOKEN
/// or --token-file). The seam is for per-chat tokens kept (encrypted) in the settings
/// database of m2g-route: a SettingsTokenSource will answer `per_chat` requests from it.
class TokenSource {
public:
  virtual ~TokenSource() = default;
  /// The token for `repo_url` on behalf of `chat_id`; `per_chat` when the job says the chat
  /// stored its own token (repo.token). nullopt: push without one.
  virtual std::optional<std::string> token_for(const std::string& repo_url, int64_t chat_id, bool per_chat) = 0;
};

/// The default token serves the default repository only: a chat naming another repository
/// must never borrow the bot owner's credentials.
class StaticTokenSource final : public TokenSource {
public:
  StaticTokenSource(std::string default_repo, std::optional<std::string> token)
      : m_default_repo(canonical_url(default_repo)), m_token(std::move(token)) {}
  std::optional<std::string> token_for(const std::string& repo_url, int64_t, bool) override {
    return repo_url == m_default_repo ? m_token : std::nullopt;
  }

private:
  std::string m_default_repo;
  std::optional<std::string> m_token;
};

/// Work some jobs need before they can be committed, done on the loop (HTTP).
class Preparer {
public:
  virtual ~Preparer() = default;
  /// True when `job` needs this preparer.
  virtual bool wants(const Job& job) const = 0;
  /// Start preparing `job` (which stays alive and is touched by no one else meanwhile);
  /// call `done` once, on the loop thread. A Failure fails the job with its message;
  /// its exit code 75 (k_tempfail) marks it retryable.
  virtual void prepare(Job& job, const RepoContext& repo, std::function<void(Result<void>)> done) = 0;
  /// Preparations in flight (the stage drains them before exiting).
  virtual size_t in_flight() const = 0;
};

} // namespace m2g::commit
