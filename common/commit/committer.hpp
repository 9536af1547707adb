#pragma once
// m2g-commit's stage logic, on the event loop. Jobs are checked, prepared (photo, issue),
// then grouped per repository: the first job starts a --batch-ms window, and everything that
// arrives while a batch is being pushed forms the next one (at most --batch-max jobs). A
// batch that loses a push race or hits a passing failure is planned again on the new tip,
// with backoff, a bounded number of times. Only after its push succeeded does a job get its
// result line; a job whose batch failed for good gets an error line and, with a queue as
// input, stays queued for a later try.
//
// Jobs are grouped by (repository, whose credentials): a job that names a repository is
// committed with the token its own chat stored, or with none, never with the token of another
// job of the batch or with the operator's (which serves jobs of the default repository only).
// A batch that the remote refuses for what one of its jobs holds (BatchReport::isolate) is
// split in halves, each committed on its own, until the job at fault fails alone: the others
// are committed in the same run instead of failing or waiting out retries with it.

#include "common/commit/backend.hpp"
#include "common/commit/line_text.hpp"
#include "common/core/backoff.hpp"
#include "common/event/loop.hpp"
#include "common/stage/io.hpp"

#include <deque>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace m2g::commit {

struct CommitterOptions {
  std::string remote;     ///< the default repository ("" : jobs must name theirs)
  std::string branch;     ///< "" : each remote's default branch
  int64_t batch_ms = 200; ///< a waiting batch goes once no job joined it for this long
  /// ... or this long after its first job (at least batch_ms, and at least as long as the
  /// repository's last commit took)
  int64_t batch_max_wait_ms = 3000;
  size_t batch_max = 1000;
  int attempts = 8; ///< tries per batch, the first included
  BackoffPolicy backoff{Millis(100), Millis(10'000), 8};
  bool allow_local_chat_repos = false;
  net::AddressPolicy addresses; ///< which hosts a chat's repository may name (check_chat_remote)
  std::string web_base = "https://github.com";
  std::string issues_repo; ///< owner/repo for issues when the default remote is not on github.com
  /// Photo bytes held (fetched, not yet pushed) past which input pauses until batches are done.
  size_t max_photo_bytes = size_t{256} << 20;
};

class Committer {
public:
  Committer(event::Loop& loop, stage::Io& io, CommitterOptions options, Backend& backend, TokenSource& tokens);

  /// Add a preparer; jobs it wants go through it before joining a batch.
  void add_preparer(Preparer& preparer) { m_preparers.push_back(&preparer); }
  /// The stage's line handler.
  void on_line(jsonl::Line&& line, stage::Token token);
  /// True when no job is waiting, preparing or in a batch.
  bool idle() const;
  /// The input has ended: no job will join a waiting batch, so send every batch now.
  void flush();
  /// SIGTERM: flush, and give up batches waiting to retry instead of waiting out their backoff
  /// (their jobs become retryable errors, which a queue keeps for the next run).
  void drain();

  /// Counters for logs and benchmarks.
  struct Stats {
    size_t jobs = 0, written = 0, duplicates = 0, failed = 0, batches = 0, pushes = 0, retries = 0;
    size_t splits = 0; ///< batches split to find the job the remote refused
  };
  const Stats& stats() const { return m_stats; }

private:
  struct Pending {
    std::unique_ptr<Job> job;
    stage::Token token;
    size_t photo_bytes = 0; ///< what this job adds to m_photo_bytes
  };
  struct Repo {
    RepoContext context;
    int64_t owner_chat = 0; ///< the chat whose stored token is used (context.owner "chat:ID")
    std::deque<Pending> waiting;
    std::vector<Pending> in_flight;
    /// Parts of a batch the remote refused for what one of its jobs holds, each committed on
    /// its own (before the jobs waiting) until the job at fault is alone.
    std::deque<std::vector<Pending>> suspects;
    bool isolating = false; ///< the batch in flight is one of those parts: no job joins it
    bool busy = false;
    event::TimerId timer = 0;
    TimePoint window_start{}, last_arrival{}; ///< of the batch waiting in its window
    TimePoint started{};                      ///< when the batch in flight was sent
    int64_t last_commit_ms = 0;               ///< how long the last pushed batch took
    int attempt = 0;
    Backoff backoff;
    size_t committing = 0; ///< in_flight[committing...] have not had their "committing" line yet
    bool committing_deferred = false;
    event::TimerId announce_timer = 0; ///< starts the "committing" lines of the batch in flight
  };

  /// A pushed batch whose jobs are being answered.
  struct Pushed {
    std::vector<Pending> jobs;
    BatchReport report;
    std::string file, url; ///< the link of the file answered last (a batch mostly writes one)
    bool url_known = false;
    /// The web link to `file` in `repo` at the pushed branch, "" when the remote has none.
    const std::string& url_of(const Repo& repo, std::string_view path, const std::string& web_base);
  };
  /// Jobs answered per loop round once their batch is pushed, and jobs whose "committing" line
  /// is written per round once their batch is sent: ten thousand lines written in one round
  /// are all held at once (the queue output takes them in one transaction).
  static constexpr size_t k_finish_slice = 512;
  /// How long a batch is out before its jobs' "committing" lines are written: by then its
  /// requests are sent (planning ten thousand jobs takes ~40 ms) and it waits on the remote.
  static constexpr int k_committing_after_ms = 250;

  Result<Repo*> repo_for(const Job& job);
  /// The token of `repo`'s owner (nullopt for none), asked for each time: a chat may change it.
  std::optional<std::string> token_of(const Repo& repo);
  /// The batch in flight was refused for what one of its jobs holds: split it, or fail the job
  /// at fault when it is alone.
  void isolate(Repo& repo, const BatchReport& report);
  /// Something is left to send: jobs waiting, or parts of a refused batch.
  static bool has_work(const Repo& repo) { return !repo.waiting.empty() || !repo.suspects.empty(); }
  /// Answer the jobs of `pushed` from index `from`, a slice now and the rest in later rounds.
  void finish_pushed(Repo& repo, std::shared_ptr<Pushed> pushed, size_t from);
  void prepare(Repo& repo, Pending pending, size_t next);
  void enqueue(Repo& repo, Pending pending);
  void schedule(Repo& repo, Millis delay);
  /// Arm the window timer of the waiting batch: its quiet gap or its longest wait, whichever
  /// comes first.
  void schedule_window(Repo& repo);
  TimePoint window_due(const Repo& repo) const;
  void dispatch(Repo& repo);
  /// Write the "committing" lines of the batch in flight, a slice now and the rest in later
  /// rounds (`all`: every one now, before the batch is answered).
  void announce(Repo& repo, bool all);
  void on_report(Repo& repo, BatchReport report);
  void give_up(Repo& repo, const std::string& reason, bool retryable);
  void finish_with(stage::Token token, std::string line);
  void fail_job(const Pending& pending, const std::string& reason, bool retryable);
  /// The job's result line; `url` links to its file ("" for none).
  std::string result_line(const Job& job, const JobResult& result, const BatchReport& report, std::string_view url);
  std::string progress_line(const Job& job, const char* step, int pct, std::string_view text);

  event::Loop& m_loop;
  stage::Io& m_io;
  CommitterOptions m_options;
  Backend& m_backend;
  TokenSource& m_tokens;
  std::vector<Preparer*> m_preparers;
  std::map<std::string, std::unique_ptr<Repo>> m_repos;
  /// Set what `pending` adds to the photo bytes held (its announced size while it is fetched,
  /// its bytes once fetched, 0 when done), pausing or resuming input around the cap.
  void count_photo(Pending& pending, size_t bytes);
  void release_photo_bytes(std::vector<Pending>& jobs);

  size_t m_preparing = 0;
  size_t m_finishing = 0;   ///< jobs of pushed batches not answered yet
  size_t m_photo_bytes = 0; ///< bytes of fetched photos held in waiting and in-flight batches
  bool m_paused_for_photos = false;
  bool m_input_over = false;
  bool m_draining = false;
  Stats m_stats;
  ObjectText m_line; ///< reused for every line the stage writes as text
};

} // namespace m2g::commit
