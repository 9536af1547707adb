#include "common/commit/app.hpp"

#include "common/cli/app.hpp"
#include "common/commit/git_backend.hpp"
#include "common/commit/github_backend.hpp"
#include "common/commit/issues.hpp"
#include "common/commit/listing.hpp"
#include "common/commit/photos.hpp"
#include "common/commit/settings_tokens.hpp"
#include "common/core/exit_codes.hpp"
#include "common/core/log.hpp"
#include "common/core/secret.hpp"
#include "common/event/workers.hpp"
#include "common/git/net_stream.hpp"
#include "common/github/client.hpp"
#include "common/http/either_client.hpp"
#include "common/net/address_policy.hpp"

#include <algorithm>
#include <optional>

namespace m2g::commit {

void add_options(CLI::App& app, AppOptions& o) {
  stage::add_io_options(app, o.io, "COMMIT");
  app.add_option("--remote", o.committer.remote, "The repository: a URL, a local path, or OWNER/REPO (github)")
      ->envname("M2G_REPO");
  app.add_option("--backend", o.backend, "git (a local clone, any remote) or github (the REST API, no clone)")
      ->envname("M2G_COMMIT_BACKEND")
      ->check(CLI::IsMember({"git", "github"}))
      ->capture_default_str();
  app.add_option("--workdir", o.workdir, "Directory for the local clones, one per repository (git backend)")
      ->envname("M2G_COMMIT_WORKDIR")
      ->capture_default_str();
  app.add_option("--branch", o.committer.branch, "Branch to commit to (default: the remote's default branch)")
      ->envname("M2G_COMMIT_BRANCH");
  app.add_option("--batch-ms", o.batch_window, "A batch goes once no job joined it for this long")
      ->envname("M2G_COMMIT_BATCH_MS")
      ->check(cli::duration_validator())
      ->capture_default_str();
  app.add_option("--batch-max-wait", o.batch_max_wait,
                 "Longest a batch waits for more jobs after its first (at least --batch-ms)")
      ->envname("M2G_COMMIT_BATCH_MAX_WAIT")
      ->check(cli::duration_validator())
      ->capture_default_str();
  app.add_option("--batch-max", o.committer.batch_max, "Most jobs in one commit")
      ->envname("M2G_COMMIT_BATCH_MAX")
      ->check(CLI::Range(size_t{1}, size_t{1'000'000}))
      ->capture_default_str();
  app.add_option("--attempts", o.committer.attempts, "Tries per batch before its jobs fail (push races, outages)")
      ->envname("M2G_COMMIT_ATTEMPTS")
      ->check(CLI::Range(1, 100))
      ->capture_default_str();
  app.add_option("--threads", o.threads, "Repositories committed to in parallel (git backend)")
      ->envname("M2G_COMMIT_THREADS")
      ->check(CLI::Range(1, 64))
      ->capture_default_str();
  app.add_option("--author", o.author, "Author and committer, as 'Name <email>'")
      ->envname("M2G_COMMIT_AUTHOR")
      ->capture_default_str();
  app.add_option("--token-file", o.token_file,
                 "Read the token of the default repository from FILE "
                 "(else M2G_GITHUB_TOKEN)")
      ->envname("M2G_COMMIT_TOKEN_FILE");
  app.add_option("--github-api", o.github_api, "GitHub REST API base URL (github backend and issues)")
      ->envname("M2G_GITHUB_API_URL")
      ->capture_default_str();
  app.add_option("--github-writes-per-minute", o.github_writes_per_minute,
                 "Content-creating GitHub requests per token and minute (GitHub's secondary limit)")
      ->envname("M2G_COMMIT_GITHUB_WRITES_PER_MINUTE")
      ->check(CLI::Range(1e-3, 1e6))
      ->capture_default_str();
  app.add_option("--issues-repo", o.committer.issues_repo,
                 "GitHub OWNER/REPO for issues when --remote is not a github.com URL")
      ->envname("M2G_COMMIT_ISSUES_REPO");
  app.add_option("--telegram-api", o.telegram_api, "Telegram Bot API base URL (photo downloads)")
      ->envname("M2G_TELEGRAM_API_URL")
      ->capture_default_str();
  app.add_option("--telegram-token-file", o.telegram_token_file,
                 "Read the bot token from FILE "
                 "(else M2G_TELEGRAM_TOKEN)")
      ->envname("M2G_COMMIT_TELEGRAM_TOKEN_FILE");
  cli::add_http_client_option(app, o.http_client, "M2G_COMMIT_HTTP_CLIENT");
  app.add_option_function<double>(
         "--photo-memory", [&o](double mb) { o.committer.max_photo_bytes = static_cast<size_t>(mb * (1 << 20)); },
         "MB of fetched photos held before input pauses until their batches are pushed (default 256)")
      ->envname("M2G_COMMIT_PHOTO_MEMORY")
      ->check(CLI::Range(1e-3, 1e6));
  app.add_option("--photo-limit", o.photo_limit_mb, "Largest photo committed, in MB")
      ->envname("M2G_COMMIT_PHOTO_LIMIT")
      ->check(CLI::Range(1e-3, 2000.0))
      ->capture_default_str();
  app.add_option("--settings-db", o.settings_db, "m2g-route's settings database, for per-chat tokens (read-only)")
      ->envname("M2G_ROUTE_DB");
  app.add_option("--key-file", o.key_file, "Key that unseals per-chat tokens in --settings-db")
      ->envname("M2G_KEY_FILE");
  app.add_flag("--allow-local-repos", o.committer.allow_local_chat_repos,
               "Let jobs name local paths as their repository (tests; never for untrusted chats)")
      ->envname("M2G_COMMIT_ALLOW_LOCAL_REPOS");
  app.add_flag("--allow-private-repos", o.allow_private_repos,
               "Let chat repositories resolve to loopback, private and link-local addresses (tests, LAN servers)")
      ->envname("M2G_REPO_ALLOW_PRIVATE");
  app.add_option("--allowed-hosts", o.allowed_hosts,
                 "Only these hosts (comma separated; .example.com for subdomains) for chat repositories; "
                 "they may resolve to private addresses")
      ->envname("M2G_REPO_ALLOWED_HOSTS");
  app.add_option("--git-connect-timeout", o.git_connect_timeout, "Longest wait to connect to a git remote")
      ->envname("M2G_COMMIT_GIT_CONNECT_TIMEOUT")
      ->check(cli::duration_validator())
      ->capture_default_str();
  app.add_option("--git-idle-timeout", o.git_idle_timeout,
                 "Longest a git remote may stay silent (or refuse to take data) mid-operation")
      ->envname("M2G_COMMIT_GIT_IDLE_TIMEOUT")
      ->check(cli::duration_validator())
      ->capture_default_str();
  app.add_option("--git-timeout", o.git_timeout, "Longest one clone, fetch or push may take")
      ->envname("M2G_COMMIT_GIT_TIMEOUT")
      ->check(cli::duration_validator())
      ->capture_default_str();
  app.add_option("--chat-threads", o.chat_threads,
                 "Chat repositories committed to in parallel, apart from --threads (git backend)")
      ->envname("M2G_COMMIT_CHAT_THREADS")
      ->check(CLI::Range(1, 64))
      ->capture_default_str();
  app.add_option("--chat-repo-limit", o.chat_repo_limit_mb, "Most MB a chat repository's clone or fetch may download")
      ->envname("M2G_COMMIT_CHAT_REPO_LIMIT")
      ->check(CLI::Range(1.0, 1'000'000.0))
      ->capture_default_str();
  app.add_option("--chat-clone-idle", o.chat_clone_idle,
                 "Remove a chat repository's clone once unused this long (0: never)")
      ->envname("M2G_COMMIT_CHAT_CLONE_IDLE")
      ->check(cli::duration_validator())
      ->capture_default_str();
  app.add_option("--drain-timeout", o.drain_timeout,
                 "After SIGTERM, cut git network operations still running after this long and exit, "
                 "leaving their jobs queued")
      ->envname("M2G_COMMIT_DRAIN_TIMEOUT")
      ->check(cli::duration_validator())
      ->capture_default_str();
}

int run(AppOptions& o) {
  o.committer.batch_ms = cli::parse_duration_ms(o.batch_window);
  o.committer.batch_max_wait_ms = cli::parse_duration_ms(o.batch_max_wait);
  o.committer.backoff.max_attempts = o.committer.attempts;
  int64_t drain_timeout_ms = cli::parse_duration_ms(o.drain_timeout);
  net::AddressPolicy address_policy;
  address_policy.allow_private = o.allow_private_repos;
  address_policy.allowed_hosts = net::AddressPolicy::parse_host_list(o.allowed_hosts);
  o.committer.addresses = address_policy;
  git::Signature signature = git::parse_signature(o.author).take_or_throw();
  if (o.backend == "github" && !o.committer.remote.empty() && o.committer.remote.find("://") == std::string::npos) {
    o.committer.remote = "https://github.com/" + o.committer.remote; // OWNER/REPO shorthand
  }
  if (o.backend == "github" && !o.committer.remote.empty() && describe_remote(o.committer.remote).github_repo.empty()) {
    throw Error(exit_code::k_usage, "--backend github needs --remote OWNER/REPO or https://github.com/OWNER/REPO");
  }
  std::optional<std::string> token = read_secret("M2G_GITHUB_TOKEN", o.token_file);
  // The ✔ and close buttons of /todo and /issue answers, signed for m2g-route to check.
  sign_buttons_with_instance_key(o.key_file);
  PhotoOptions photo_options;
  photo_options.api_url = o.telegram_api;
  photo_options.token = read_secret("M2G_TELEGRAM_TOKEN", o.telegram_token_file);
  photo_options.max_bytes = static_cast<int64_t>(o.photo_limit_mb * (1 << 20));

  event::Loop loop;
  // A batch in flight and the next one gathering.
  stage::Io io(loop, o.io.holding(2 * o.committer.batch_max));
  // GitHub and Telegram (photo downloads) share one client; each URL picks its own.
  http::EitherClient http(loop, o.http_client);
  github::ClientOptions github_options;
  github_options.api_url = o.github_api;
  github_options.writes_per_minute = o.github_writes_per_minute;
  github::Client github(loop, http, github_options);
  std::optional<event::Workers> workers;      // libgit2 blocks; the github backend needs no threads
  std::optional<event::Workers> chat_workers; // chat repositories never hold up the default one
  std::unique_ptr<Backend> backend;
  if (o.backend == "github") {
    backend = std::make_unique<GithubBackend>(github, signature);
  } else {
    workers.emplace(loop, o.threads);
    chat_workers.emplace(loop, o.chat_threads);
    GitBackendOptions git_options;
    git_options.workdir = o.workdir;
    git_options.signature = signature;
    git_options.default_remote = canonical_url(o.committer.remote);
    git_options.limits.connect_ms = std::max<int64_t>(1, cli::parse_duration_ms(o.git_connect_timeout));
    git_options.limits.idle_ms = std::max<int64_t>(1, cli::parse_duration_ms(o.git_idle_timeout));
    git_options.limits.total_ms = std::max<int64_t>(1, cli::parse_duration_ms(o.git_timeout));
    git_options.chat_max_bytes = static_cast<int64_t>(o.chat_repo_limit_mb * (1 << 20));
    git_options.chat_clone_idle_ms = cli::parse_duration_ms(o.chat_clone_idle);
    git_options.addresses = address_policy;
    backend = std::make_unique<GitBackend>(*workers, *chat_workers, std::move(git_options));
  }
  StaticTokenSource static_tokens(o.committer.remote, token);
  std::unique_ptr<SettingsTokenSource> settings_tokens;
  if (!o.settings_db.empty()) {
    if (o.key_file.empty()) {
      throw Error(exit_code::k_config, "--settings-db needs --key-file (M2G_KEY_FILE) to unseal tokens");
    }
    settings_tokens = SettingsTokenSource::open(o.settings_db, o.key_file, static_tokens).take_or_throw();
  }
  TokenSource& tokens = settings_tokens ? static_cast<TokenSource&>(*settings_tokens) : static_tokens;
  PhotoPreparer photos(http, photo_options);
  IssuePreparer issues(github);
  Committer committer(loop, io, o.committer, *backend, tokens);
  committer.add_preparer(photos); // first: an issue's photo must be fetched before it is opened
  committer.add_preparer(issues);
  io.on_input_over([&] { committer.flush(); });
  io.on_signal_drain([&] {
    committer.drain();
    // A batch stuck on a slow remote would hold the exit for up to --git-timeout: past the
    // drain deadline its network operations are cut, its jobs fail as retryable (a queue keeps
    // them for the next run), and the stage exits 0.
    loop.after(Millis(drain_timeout_ms), [&] {
      if (!committer.idle()) {
        log::warn("drain deadline passed: stopping git network operations; their jobs stay queued");
        git::cancel_network();
      }
    });
  });
  io.start([&](jsonl::Line&& line, stage::Token in) { committer.on_line(std::move(line), in); },
           [&] { return committer.idle(); });
  loop.run();
  const auto& s = committer.stats();
  log::debug("jobs " + std::to_string(s.jobs) + ", written " + std::to_string(s.written) + ", duplicates " +
             std::to_string(s.duplicates) + ", failed " + std::to_string(s.failed) + ", batches " +
             std::to_string(s.batches) + ", pushes " + std::to_string(s.pushes) + ", retries " +
             std::to_string(s.retries) + ", splits " + std::to_string(s.splits) + ", GitHub requests " +
             std::to_string(github.stats().requests) + " (rate-limited " + std::to_string(github.stats().rate_limited) +
             ")");
  return io.exit_code();
}

} // namespace m2g::commit
