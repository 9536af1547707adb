// m2g-commit: jobs into git, many jobs per commit (man/m2g-commit.1).
#include "common/cli/app.hpp"
#include "common/commit/committer.hpp"
#include "common/commit/git_backend.hpp"
#include "common/core/error.hpp"
#include "common/core/exit_codes.hpp"
#include "common/core/log.hpp"
#include "common/core/secret.hpp"
#include "common/event/workers.hpp"

int main(int argc, char** argv) {
  using namespace m2g;
  stage::IoOptions io_options;
  commit::CommitterOptions options;
  std::string workdir = "m2g-clones";
  std::string author = "m2g <m2g@localhost>";
  std::string token_file;
  std::string batch_window = "200ms";
  size_t threads = 4;
  auto define = [&](CLI::App& app) {
    stage::add_io_options(app, io_options, "COMMIT");
    app.add_option("--remote", options.remote, "The repository to commit to: a URL or a local path")
        ->envname("M2G_REPO");
    app.add_option("--workdir", workdir, "Directory for the local clones, one per repository")
        ->envname("M2G_COMMIT_WORKDIR")
        ->capture_default_str();
    app.add_option("--branch", options.branch, "Branch to commit to (default: the remote's default branch)")
        ->envname("M2G_COMMIT_BRANCH");
    app.add_option("--batch-ms", batch_window, "How long the first job of a batch waits for others")
        ->envname("M2G_COMMIT_BATCH_MS")
        ->check(cli::duration_validator())
        ->capture_default_str();
    app.add_option("--batch-max", options.batch_max, "Most jobs in one commit")
        ->envname("M2G_COMMIT_BATCH_MAX")
        ->check(CLI::PositiveNumber)
        ->capture_default_str();
    app.add_option("--attempts", options.attempts, "Tries per batch before its jobs fail (push races, outages)")
        ->envname("M2G_COMMIT_ATTEMPTS")
        ->check(CLI::Range(1, 100))
        ->capture_default_str();
    app.add_option("--threads", threads, "Repositories committed to in parallel")
        ->envname("M2G_COMMIT_THREADS")
        ->check(CLI::Range(1, 64))
        ->capture_default_str();
    app.add_option("--author", author, "Author and committer, as 'Name <email>'")
        ->envname("M2G_COMMIT_AUTHOR")
        ->capture_default_str();
    app.add_option("--token-file", token_file, "Read the token for HTTPS remotes from FILE (else M2G_GITHUB_TOKEN)")
        ->envname("M2G_COMMIT_TOKEN_FILE");
    app.add_option("--issues-repo", options.issues_repo,
                   "GitHub OWNER/REPO for issues when --remote is not a github.com URL")
        ->envname("M2G_COMMIT_ISSUES_REPO");
    app.add_flag("--allow-local-repos", options.allow_local_chat_repos,
                 "Let jobs name local paths as their repository (tests; never for untrusted chats)")
        ->envname("M2G_COMMIT_ALLOW_LOCAL_REPOS");
  };
  auto run = [&](CLI::App&) {
    options.batch_ms = cli::parse_duration_ms(batch_window);
    options.backoff.max_attempts = options.attempts;
    git::Signature signature = git::parse_signature(author).take_or_throw();
    std::optional<std::string> token = read_secret("M2G_GITHUB_TOKEN", token_file);

    event::Loop loop;
    stage::Io io(loop, io_options);
    event::Workers workers(loop, threads);
    commit::GitBackend backend(workers, {workdir, signature});
    commit::StaticTokenSource tokens(options.remote, token);
    commit::Committer committer(loop, io, options, backend, tokens);
    io.start([&](jsonl::Line&& line, stage::Token token_in) { committer.on_line(std::move(line), token_in); },
             [&] { return committer.idle(); });
    loop.run();
    const auto& stats = committer.stats();
    log::debug("jobs " + std::to_string(stats.jobs) + ", written " + std::to_string(stats.written) + ", duplicates " +
               std::to_string(stats.duplicates) + ", failed " + std::to_string(stats.failed) + ", batches " +
               std::to_string(stats.batches) + ", pushes " + std::to_string(stats.pushes) + ", retries " +
               std::to_string(stats.retries));
    return io.exit_code();
  };
  return cli::main_wrapper(argc, argv, "m2g-commit: file jobs into a git repository, many per commit", define, run);
}
