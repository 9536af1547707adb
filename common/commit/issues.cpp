#include "common/commit/issues.hpp"

#include "common/commit/text.hpp"
#include "common/core/exit_codes.hpp"
#include "common/github/iso8601.hpp"

namespace m2g::commit {
namespace {

using json = nlohmann::json;

constexpr int k_lookup_pages = 5; // 500 issues created since the message: plenty
constexpr int k_sync_pages = 10;  // the 1,000 most recent issues

} // namespace

Failure github_failure(const std::string& doing, const github::Reply& reply) {
  int code = exit_code::k_unavailable;
  if (reply.status == 0 || reply.status >= 500 || reply.status == 429 || reply.status == 403) {
    code = reply.status == 403 && reply.message().find("rate limit") == std::string::npos ? exit_code::k_noperm
                                                                                          : exit_code::k_tempfail;
  } else if (reply.status == 401) {
    code = exit_code::k_noperm;
  }
  return fail(code, doing + ": " + reply.message());
}

void IssuePreparer::prepare(Job& job, const RepoContext& repo, std::function<void(Result<void>)> done) {
  if (repo.issues_repo.empty()) {
    done(fail(exit_code::k_config, "issues need a GitHub repository: " + repo.remote.display +
                                       " is not on github.com (set --issues-repo OWNER/REPO)"));
    return;
  }
  ++m_in_flight;
  auto finish = [this, done = std::move(done)](Result<void> result) {
    --m_in_flight;
    done(std::move(result));
  };
  switch (job.op) {
  case Op::issue:
    if (auto it = m_made.find(std::string(job.id())); it != m_made.end()) {
      job.issue = it->second;
      finish({});
      return;
    }
    find_or_create(job, repo.issues_repo, repo.token, 1, std::move(finish));
    return;
  case Op::close:
    close(job, repo.issues_repo, repo.token, std::move(finish));
    return;
  case Op::sync:
    sync(job, repo.issues_repo, repo.token, 1, std::move(finish));
    return;
  default:
    finish({});
  }
}

void IssuePreparer::find_or_create(Job& job, const std::string& repo, const std::optional<std::string>& token, int page,
                                   std::function<void(Result<void>)> done) {
  // Issues created since a day before the message: the marker of a job that already made one
  // is among them (the listing is fresh, unlike search, which lags).
  std::string path = "/repos/" + repo +
                     "/issues?state=all&sort=created&direction=desc&per_page=100&page=" + std::to_string(page) +
                     "&since=" + github::iso8601(job.date - 86400);
  m_client.request("GET", path, "", token, [this, &job, repo, token, page, done](github::Reply reply) {
    if (!reply.ok() || !reply.body.is_array()) {
      done(github_failure("cannot look for an earlier issue of this message", reply));
      return;
    }
    std::string mark = marker(job.id());
    for (const auto& issue : reply.body) {
      if (issue.contains("pull_request")) {
        continue;
      }
      if (issue.value("body", json()).is_string() && issue["body"].get<std::string>().find(mark) != std::string::npos) {
        job.issue = IssueFacts{repo, issue.value("number", int64_t(0)), issue.value("html_url", ""), false};
        m_made[std::string(job.id())] = *job.issue;
        done({});
        return;
      }
    }
    if (reply.body.size() == 100 && page < k_lookup_pages) {
      find_or_create(job, repo, token, page + 1, done);
      return;
    }
    create(job, repo, token, done);
  });
}

void IssuePreparer::create(Job& job, const std::string& repo, const std::optional<std::string>& token,
                           std::function<void(Result<void>)> done) {
  std::string title = one_line(neutralize(job.title()));
  if (title.empty()) {
    title = fallback_title(job.text().empty() ? "Photo" : job.text(), 120);
  }
  std::string body(job.text());
  if (job.photo && !job.photo->file_unique_id.empty()) {
    body += "\n\n📷 The photo is committed to the repository under photos/.";
  }
  body += "\n\n" + marker(job.id());
  json request = {{"title", title}, {"body", body}};
  m_client.request(
      "POST", "/repos/" + repo + "/issues", request.dump(), token, [this, &job, repo, done](github::Reply reply) {
        if (reply.status != 201 || !reply.body.is_object()) {
          done(github_failure("cannot open the issue", reply));
          return;
        }
        job.issue = IssueFacts{repo, reply.body.value("number", int64_t(0)), reply.body.value("html_url", ""), true};
        m_made[std::string(job.id())] = *job.issue;
        done({});
      });
}

void IssuePreparer::close(Job& job, const std::string& repo, const std::optional<std::string>& token,
                          std::function<void(Result<void>)> done) {
  std::string path = "/repos/" + repo + "/issues/" + std::to_string(job.issue_number());
  m_client.request("PATCH", path, json{{"state", "closed"}}.dump(), token, [&job, repo, done](github::Reply reply) {
    if (reply.status == 404) {
      done(fail(exit_code::k_dataerr, "issue #" + std::to_string(job.issue_number()) + " does not exist in " + repo));
      return;
    }
    if (!reply.ok()) {
      done(github_failure("cannot close issue #" + std::to_string(job.issue_number()), reply));
      return;
    }
    done({});
  });
}

void IssuePreparer::sync(Job& job, const std::string& repo, const std::optional<std::string>& token, int page,
                         std::function<void(Result<void>)> done) {
  std::string path =
      "/repos/" + repo + "/issues?state=all&sort=created&direction=desc&per_page=100&page=" + std::to_string(page);
  m_client.request("GET", path, "", token, [this, &job, repo, token, page, done](github::Reply reply) {
    if (!reply.ok() || !reply.body.is_array()) {
      if (page == 1) {
        done(github_failure("cannot list the issues of " + repo, reply));
      } else {
        done({}); // what was fetched is applied; the rest stays as issue.md has it
      }
      return;
    }
    for (const auto& issue : reply.body) {
      if (!issue.contains("pull_request") && issue.contains("number")) {
        job.details_to_fill().issue_states[issue["number"].get<int64_t>()] = issue.value("state", "open") == "open";
      }
    }
    if (reply.body.size() == 100 && page < k_sync_pages) {
      sync(job, repo, token, page + 1, done);
      return;
    }
    done({});
  });
}

} // namespace m2g::commit
