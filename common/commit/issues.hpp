#pragma once
// The GitHub side of issue jobs, done before the job joins a batch:
//   issue  open the issue, at most once per job: its body carries "<!-- m2g:JOB_ID -->", and a
//          retried job first looks for an issue with that marker (created since the message)
//          before creating one, so a crash or timeout between the POST and the commit of
//          issue.md never makes a second issue;
//   close  PATCH the issue's state to closed;
//   sync   list the repository's issues (open and closed, a page of 100 at a time) and keep
//          the states found; issues not found are left as issue.md has them.

#include "common/commit/backend.hpp"
#include "common/github/client.hpp"

#include <map>

namespace m2g::commit {

class IssuePreparer final : public Preparer {
public:
  explicit IssuePreparer(github::Client& client) : m_client(client) {}
  bool wants(const Job& job) const override { return job.op == Op::issue || job.op == Op::close || job.op == Op::sync; }
  void prepare(Job& job, const RepoContext& repo, std::function<void(Result<void>)> done) override;
  size_t in_flight() const override { return m_in_flight; }

  /// The marker an issue's body carries for job `id`.
  static std::string marker(std::string_view id) { return "<!-- m2g:" + std::string(id) + " -->"; }

private:
  void find_or_create(Job& job, const std::string& repo, const std::optional<std::string>& token, int page,
                      std::function<void(Result<void>)> done);
  void create(Job& job, const std::string& repo, const std::optional<std::string>& token,
              std::function<void(Result<void>)> done);
  void close(Job& job, const std::string& repo, const std::optional<std::string>& token,
             std::function<void(Result<void>)> done);
  void sync(Job& job, const std::string& repo, const std::optional<std::string>& token, int page,
            std::function<void(Result<void>)> done);

  github::Client& m_client;
  size_t m_in_flight = 0;
  std::map<std::string, IssueFacts> m_made; // job id → its issue, for retries in this process
};

/// A failure for a GitHub reply: retryable (75) for transport errors, 5xx and rate limits,
/// 77 for refused credentials, 69 otherwise.
Failure github_failure(const std::string& doing, const github::Reply& reply);

} // namespace m2g::commit
