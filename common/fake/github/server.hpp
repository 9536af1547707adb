#pragma once
// The fake GitHub REST API (m2g-bench fake github): the Git Data API endpoints and the issue
// endpoints m2g-commit uses, over real bare repositories, with GitHub's limits (a secondary
// limit on content-creating requests per token and minute, a primary budget per hour) and
// injectable latency per kind of endpoint. GET /_fake/stats tells a test what happened;
// POST /_fake/hold?kind=K holds requests of kind K until POST /_fake/release?kind=K.
// With grants (--grant TOKEN=OWNER/REPO), a token reaches only the repositories granted to it
// (others answer 404, as GitHub hides a private repository); GET /_fake/writes lists every
// content-creating request accepted, with the token it carried, so a test can tell whose
// credentials wrote what.

#include "common/core/clock.hpp"
#include "common/core/error.hpp"
#include "common/event/loop.hpp"
#include "common/fake/github/issues.hpp"
#include "common/fake/github/repos.hpp"
#include "common/http/server.hpp"

#include <CLI/CLI.hpp>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>

namespace m2g::fake::github {

struct Options {
  std::string repos_dir;
  /// Delay before answering, by endpoint kind: repo, ref, commit, tree, blob, contents,
  /// issue; "*" for every kind without its own.
  std::map<std::string, Millis> latency;
  int writes_per_minute = 80;   ///< content-creating requests per token in any window
  Millis window{60'000};        ///< the secondary limit's window (shorter in tests)
  int requests_per_hour = 5000; ///< the primary budget per token
  int limit_status = 403;       ///< GitHub answers 403 or 429 past a limit
  int64_t first_issue = 1;
  /// token → the "owner/repo"s it may use. Empty: every token reaches every repository.
  std::map<std::string, std::set<std::string>> grants;
  /// A tree with a path containing one of these is refused with 422, as GitHub refuses paths
  /// it deems malformed (tests use it for a refusal that planning cannot foresee).
  std::vector<std::string> refuse_paths;
};

/// Parse "TOKEN=OWNER/REPO" into `grants`; fails with why.
Result<void> add_grant(const std::string& spec, std::map<std::string, std::set<std::string>>& grants);

/// Parse "commit=2s,tree=100ms" or "50ms" (every kind) into Options::latency; fails with why.
Result<std::map<std::string, Millis>> parse_latency(const std::string& spec);

class Server {
public:
  Server(event::Loop& loop, Options options);
  Result<void> listen(const std::string& host, int port);
  int port() const { return m_http.port(); }

  struct Stats {
    size_t requests = 0;
    size_t writes = 0;  ///< content-creating requests accepted
    size_t limited = 0; ///< requests refused by a rate limit
    size_t max_writes_in_minute = 0;
    size_t hammering = 0; ///< refused requests sent before an earlier Retry-After had passed
  };
  const Stats& stats() const { return m_stats; }

private:
  struct Call {
    std::string kind; // latency class
    std::function<http::Response()> run;
  };
  void handle(http::Request&& request, http::Responder respond);
  /// Check the limits for `token`; a refusal response when over one.
  std::optional<http::Response> limit(const std::string& token, bool write);
  Call route(const http::Request& request);
  /// True when a tree request names a path of Options::refuse_paths.
  bool refused_path(const nlohmann::json& tree_body) const;
  void add_rate_headers(http::Response& response, const std::string& token);

  event::Loop& m_loop;
  Options m_options;
  Repos m_repos;
  Issues m_issues;
  http::Server m_http;
  struct TokenState {
    std::deque<int64_t> writes_ms; // accepted writes in the last minute
    int64_t hour_start_s = 0;
    int64_t hour_count = 0;
    int64_t retry_after_until_ms = 0; // the last refusal told the client to wait until then
    int64_t refused_at_ms = 0;
  };
  std::map<std::string, TokenState> m_tokens;
  Stats m_stats;
  struct Held {
    std::string kind;
    std::function<void()> finish;
  };
  std::set<std::string> m_hold_kinds; // kinds whose requests wait for POST /_fake/release
  std::vector<Held> m_held;
  nlohmann::json m_writes = nlohmann::json::array(); // {method, path, token} per accepted write
};

/// Register "m2g-bench fake github".
void add_github_command(CLI::App& fake_command, std::function<int()>& chosen);

} // namespace m2g::fake::github
