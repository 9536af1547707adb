#include "common/commit/committer.hpp"

#include "common/commit/line_text.hpp"
#include "common/core/exit_codes.hpp"
#include "common/core/log.hpp"

#include <algorithm>

namespace m2g::commit {
namespace {

using json = nlohmann::json;

// `line`: an error line derived from the job's (jsonl::derive or Job::derive).
json error_json(json line, const std::string& reason, bool retryable) {
  line["stage"] = "m2g-commit";
  line["reason"] = reason;
  line["retryable"] = retryable;
  return line;
}

} // namespace

Committer::Committer(event::Loop& loop, stage::Io& io, CommitterOptions options, Backend& backend, TokenSource& tokens)
    : m_loop(loop), m_io(io), m_options(std::move(options)), m_backend(backend), m_tokens(tokens) {
  m_options.remote = canonical_url(m_options.remote);
  m_options.batch_max = std::max<size_t>(1, m_options.batch_max);
  m_options.attempts = std::max(1, m_options.attempts);
}

bool Committer::idle() const {
  if (m_preparing > 0 || m_finishing > 0) {
    return false;
  }
  for (const auto& [key, repo] : m_repos) {
    if (repo->busy || has_work(*repo) || !repo->in_flight.empty()) {
      return false;
    }
  }
  return true;
}

void Committer::flush() {
  m_input_over = true;
  for (auto& [key, repo] : m_repos) {
    if (!repo->busy && repo->attempt == 0 && has_work(*repo)) {
      dispatch(*repo);
    }
  }
}

void Committer::drain() {
  m_draining = true;
  for (auto& [key, repo] : m_repos) {
    if (!repo->busy && repo->attempt > 0) {
      if (repo->timer) {
        m_loop.cancel(repo->timer);
        repo->timer = 0;
      }
      give_up(*repo, "stopped before trying again", true);
    }
  }
  flush();
  m_io.check_done();
}

void Committer::on_line(jsonl::Line&& line, stage::Token token) {
  if (line.kind() != jsonl::Kind::job) {
    m_io.pass(std::move(line), token);
    return;
  }
  ++m_stats.jobs;
  const json& value = line.json_value();
  auto parsed = parse_job(value, m_loop.clock().unix_ms() / 1000);
  if (!parsed.ok()) {
    log::warn("line " + std::to_string(line.number()) + ": job '" + line.id() + "': " + parsed.error());
    ++m_stats.failed;
    m_io.finish(token, {jsonl::dump(error_json(jsonl::derive(value, jsonl::Kind::error), parsed.error(), false))});
    return;
  }
  auto repo = repo_for(parsed.value());
  if (!repo.ok()) {
    log::warn("job '" + line.id() + "': " + repo.error());
    ++m_stats.failed;
    m_io.finish(token, {jsonl::dump(error_json(jsonl::derive(value, jsonl::Kind::error), repo.error(), false))});
    return;
  }
  Pending pending{std::make_unique<Job>(std::move(parsed.value())), token};
  if (pending.job->photo && pending.job->photo->file_size > 0) {
    count_photo(pending, static_cast<size_t>(pending.job->photo->file_size)); // until it is fetched
  }
  ++m_preparing;
  prepare(*repo.value(), std::move(pending), 0);
}

Result<Committer::Repo*> Committer::repo_for(const Job& job) {
  std::string url = job.repo_url().empty() ? m_options.remote : job.repo_url();
  if (url.empty()) {
    return fail(exit_code::k_config, "no repository: set --remote (M2G_REPO) or give the job a repo.url");
  }
  if (url != m_options.remote) {
    // Checked before it is made canonical: the chat's own spelling is what is judged.
    auto allowed = check_chat_remote(url, m_options.allow_local_chat_repos, m_options.addresses);
    if (!allowed.ok()) {
      return allowed.failure();
    }
    url = canonical_url(url);
  }
  // Whose credentials the job brings. A chat that stored a token brings that one; a job of
  // the default repository (one that names none) brings the operator's; a job that names a
  // repository without a token of its own brings none, even when it names the default
  // repository or another chat's: it is committed anonymously and fails on its own if the
  // remote wants credentials.
  std::string owner = job.repo_token()         ? "chat:" + std::to_string(job.chat_id)
                      : job.repo_url().empty() ? std::string("operator")
                                               : std::string("none");
  auto& slot = m_repos[url + '\n' + owner];
  if (!slot) {
    slot = std::make_unique<Repo>();
    slot->context.remote = describe_remote(url);
    slot->context.branch = m_options.branch;
    slot->context.owner = owner;
    slot->owner_chat = job.repo_token() ? job.chat_id : 0;
    slot->context.issues_repo = slot->context.remote.github_repo;
    if (slot->context.issues_repo.empty() && url == m_options.remote) {
      slot->context.issues_repo = m_options.issues_repo;
    }
    slot->backoff = Backoff(m_options.backoff);
  }
  return slot.get();
}

std::optional<std::string> Committer::token_of(const Repo& repo) {
  if (repo.context.owner == "none") {
    return std::nullopt;
  }
  bool per_chat = repo.context.owner != "operator";
  return m_tokens.token_for(repo.context.remote.url, repo.owner_chat, per_chat);
}

void Committer::prepare(Repo& repo, Pending pending, size_t next) {
  for (size_t i = next; i < m_preparers.size(); ++i) {
    Preparer* preparer = m_preparers[i];
    if (!preparer->wants(*pending.job)) {
      continue;
    }
    if (repo.context.token == std::nullopt) {
      repo.context.token = token_of(repo); // the job's own: every job of `repo` has the same owner
    }
    // std::function wants a copyable callback: the pending job rides in a shared box.
    auto box = std::make_shared<Pending>(std::move(pending));
    preparer->prepare(*box->job, repo.context, [this, &repo, box, i](Result<void> done) {
      if (!done.ok()) {
        --m_preparing;
        count_photo(*box, 0);
        fail_job(*box, done.error(), done.failure().exit_code == exit_code::k_tempfail);
        m_io.check_done();
        return;
      }
      prepare(repo, std::move(*box), i + 1);
    });
    return;
  }
  --m_preparing;
  enqueue(repo, std::move(pending));
}

void Committer::enqueue(Repo& repo, Pending pending) {
  count_photo(pending, pending.job->photo ? pending.job->photo->bytes.size() : 0);
  repo.waiting.push_back(std::move(pending));
  if (repo.busy || repo.attempt > 0) {
    return; // the batch in flight (or waiting to retry) picks these up when it is done
  }
  repo.last_arrival = m_loop.now();
  if (repo.waiting.size() >= m_options.batch_max || m_input_over) {
    dispatch(repo);
  } else if (!repo.timer) {
    repo.window_start = repo.last_arrival;
    schedule_window(repo);
  }
}

TimePoint Committer::window_due(const Repo& repo) const {
  Millis quiet(m_options.batch_ms);
  // Cutting a steady stream sooner than a commit takes saves its first jobs less than it costs
  // the rest: they would wait out the whole commit of the first part before theirs can start.
  Millis longest(std::max({m_options.batch_ms, m_options.batch_max_wait_ms, repo.last_commit_ms}));
  return std::min(repo.last_arrival + quiet, repo.window_start + longest);
}

void Committer::schedule_window(Repo& repo) {
  // A burst (a thousand titles landing over half a second) joins one batch instead of being
  // cut by a fixed window after its first job; a lone job still goes after --batch-ms. The
  // timer is not moved per job: when it fires early, it is armed again for the new due time.
  TimePoint due = window_due(repo);
  repo.timer = m_loop.at(due, [this, &repo, due] {
    repo.timer = 0;
    if (window_due(repo) > due && !repo.busy && repo.attempt == 0 && !m_input_over) {
      schedule_window(repo);
      return;
    }
    dispatch(repo);
  });
}

void Committer::schedule(Repo& repo, Millis delay) {
  if (repo.timer) {
    m_loop.cancel(repo.timer);
  }
  repo.timer = m_loop.after(delay, [this, &repo] {
    repo.timer = 0;
    dispatch(repo);
  });
}

void Committer::dispatch(Repo& repo) {
  if (repo.busy) {
    return;
  }
  if (repo.timer) {
    m_loop.cancel(repo.timer);
    repo.timer = 0;
  }
  size_t first_new = repo.in_flight.size();
  if (repo.in_flight.empty() && !repo.suspects.empty()) {
    // A part of a refused batch goes on its own, ahead of the jobs that came after it. Its
    // jobs had their "committing" lines with the batch they came from.
    repo.in_flight = std::move(repo.suspects.front());
    repo.suspects.pop_front();
    repo.isolating = true;
    first_new = repo.in_flight.size();
  }
  while (!repo.isolating && repo.in_flight.size() < m_options.batch_max && !repo.waiting.empty()) {
    repo.in_flight.push_back(std::move(repo.waiting.front()));
    repo.waiting.pop_front();
  }
  if (repo.in_flight.empty()) {
    return;
  }
  repo.committing = first_new;
  if (!repo.announce_timer) {
    // The batch's own work (planning, the request bodies, the first requests) comes first: the
    // "committing" lines of ten thousand jobs, written right away, cost as much CPU as the plan
    // and pushed the batch's requests back. A batch answered sooner gets them just before its
    // results (on_report), so every job still shows the step.
    repo.announce_timer = m_loop.after(Millis(k_committing_after_ms), [this, &repo] {
      repo.announce_timer = 0;
      announce(repo, false);
    });
  }
  if (repo.attempt == 0) {
    ++m_stats.batches;
  }
  repo.context.token = token_of(repo);
  auto jobs = std::make_shared<std::vector<const Job*>>();
  jobs->reserve(repo.in_flight.size());
  for (const auto& pending : repo.in_flight) {
    jobs->push_back(pending.job.get());
  }
  repo.busy = true;
  repo.started = m_loop.now();
  log::debug("batch of " + std::to_string(repo.in_flight.size()) + " jobs for " + repo.context.remote.display +
             " started" + (repo.attempt > 0 ? " (try " + std::to_string(repo.attempt + 1) + ")" : ""));
  m_backend.run(repo.context, std::move(jobs),
                [this, &repo](BatchReport report) { on_report(repo, std::move(report)); });
}

void Committer::announce(Repo& repo, bool all) {
  size_t to = all ? repo.in_flight.size() : std::min(repo.in_flight.size(), repo.committing + k_finish_slice);
  for (; repo.committing < to; ++repo.committing) {
    const Job& job = *repo.in_flight[repo.committing].job;
    if (!is_read_only(job.op)) {
      m_io.emit(progress_line(job, "committing", 80, "committing to " + std::string(job.file()) + "…"));
    }
  }
  if (repo.committing < repo.in_flight.size() && !repo.committing_deferred) {
    repo.committing_deferred = true;
    m_loop.defer([this, &repo] {
      repo.committing_deferred = false;
      announce(repo, false);
    });
  }
}

void Committer::on_report(Repo& repo, BatchReport report) {
  repo.busy = false;
  if (repo.announce_timer) {
    m_loop.cancel(repo.announce_timer);
    repo.announce_timer = 0;
  }
  announce(repo, true); // a job's progress never comes after its answer
  log::debug("batch of " + std::to_string(repo.in_flight.size()) + " jobs for " + repo.context.remote.display +
             " done in " + std::to_string(std::chrono::duration_cast<Millis>(m_loop.now() - repo.started).count()) +
             " ms, " + std::to_string(repo.waiting.size()) + " jobs waiting");
  if (repo.context.branch.empty() && !report.branch.empty()) {
    repo.context.branch = report.branch; // learned once; later batches need not ask
  }
  if (report.status == BatchReport::Status::failed && report.isolate) {
    isolate(repo, report);
  } else if (report.status == BatchReport::Status::pushed) {
    m_stats.pushes += report.changed ? 1 : 0;
    repo.last_commit_ms = std::chrono::duration_cast<Millis>(m_loop.now() - repo.started).count();
    auto pushed = std::make_shared<Pushed>();
    pushed->jobs = std::move(repo.in_flight);
    pushed->report = std::move(report);
    pushed->report.plan.writes.clear(); // the files are in the commit; only the results are needed
    m_finishing += pushed->jobs.size();
    repo.in_flight.clear();
    finish_pushed(repo, std::move(pushed), 0);
    repo.attempt = 0;
    repo.backoff.reset();
    repo.isolating = false;
    if (has_work(repo)) {
      dispatch(repo); // these arrived during the push: they are the next batch, now
    }
  } else if (report.retryable && repo.attempt + 1 < m_options.attempts && !m_draining) {
    ++repo.attempt;
    ++m_stats.retries;
    Millis delay = repo.backoff.next_delay();
    log::info((report.status == BatchReport::Status::rejected ? "push to " : "batch for ") +
              repo.context.remote.display + " " +
              (report.status == BatchReport::Status::rejected ? "rejected" : "failed") + " (" + report.error +
              "); trying again in " + std::to_string(delay.count()) + " ms");
    schedule(repo, delay);
  } else {
    give_up(repo, report.error, report.retryable);
  }
  m_io.check_done();
}

void Committer::isolate(Repo& repo, const BatchReport& report) {
  repo.attempt = 0;
  repo.backoff.reset();
  repo.isolating = false;
  if (repo.in_flight.size() == 1) {
    // Alone, it is the job at fault: trying it again would fail again.
    std::string text = "cannot commit to " + repo.context.remote.display + ": " + report.error;
    log::warn(text + " (job '" + std::string(repo.in_flight.front().job->id()) + "')");
    fail_job(repo.in_flight.front(), text, false);
    release_photo_bytes(repo.in_flight);
    repo.in_flight.clear();
  } else {
    // Halves, the first one first: with one job at fault among n, about 2·log2(n) batches
    // find it, and every part without it is committed as soon as it is tried.
    ++m_stats.splits;
    log::info("batch of " + std::to_string(repo.in_flight.size()) + " jobs for " + repo.context.remote.display +
              " refused (" + report.error + "); committing it in two parts to find the job at fault");
    size_t half = repo.in_flight.size() / 2;
    std::vector<Pending> first, second;
    first.reserve(half);
    second.reserve(repo.in_flight.size() - half);
    for (size_t i = 0; i < repo.in_flight.size(); ++i) {
      (i < half ? first : second).push_back(std::move(repo.in_flight[i]));
    }
    repo.in_flight.clear();
    repo.suspects.push_front(std::move(second));
    repo.suspects.push_front(std::move(first));
  }
  if (has_work(repo)) {
    dispatch(repo);
  }
}

void Committer::finish_pushed(Repo& repo, std::shared_ptr<Pushed> pushed, size_t from) {
  // A slice at a time, each job's memory freed as it is answered: the stage's output is
  // handed off between slices, so the result lines of ten thousand jobs are never all held
  // at once next to the jobs they come from (one batch's answers were a third of the peak).
  size_t to = std::min(pushed->jobs.size(), from + k_finish_slice);
  const BatchReport& report = pushed->report;
  for (size_t i = from; i < to; ++i) {
    Pending& pending = pushed->jobs[i];
    JobResult& result = pushed->report.plan.results[i];
    switch (result.outcome) {
    case Outcome::failed:
      fail_job(pending, result.reason(), false);
      break;
    case Outcome::answered: {
      std::vector<std::string> lines;
      if (result.details) {
        for (const auto& action : result.details->actions) {
          lines.push_back(jsonl::dump(action));
        }
      }
      m_io.finish(pending.token, std::move(lines));
      break;
    }
    case Outcome::written:
    case Outcome::duplicate:
      ++(result.outcome == Outcome::written ? m_stats.written : m_stats.duplicates);
      // The result is the job's final state; a "pushed" progress line before it said nothing
      // more, and was a third of what m2g-progress had to read when a big batch lands.
      finish_with(pending.token, result_line(*pending.job, result, report,
                                             pushed->url_of(repo, pending.job->file(), m_options.web_base)));
      break;
    }
    count_photo(pending, 0);
    pending.job.reset();
    result = JobResult{};
  }
  m_finishing -= to - from;
  if (to < pushed->jobs.size()) {
    m_loop.defer([this, &repo, pushed, to] { finish_pushed(repo, pushed, to); });
  } else {
    m_io.check_done();
  }
}

const std::string& Committer::Pushed::url_of(const Repo& repo, std::string_view path, const std::string& web_base) {
  if (!url_known || path != file) {
    file = path;
    url = repo.context.remote.github_repo.empty() || report.branch.empty()
              ? std::string()
              : github_blob_url(repo.context.remote.github_repo, report.branch, path, web_base);
    url_known = true;
  }
  return url;
}

void Committer::finish_with(stage::Token token, std::string line) {
  std::vector<std::string> lines;
  lines.push_back(std::move(line)); // moved: an initializer list would copy it
  m_io.finish(token, std::move(lines));
}

void Committer::give_up(Repo& repo, const std::string& reason, bool retryable) {
  std::string text = "cannot commit to " + repo.context.remote.display + ": " + reason;
  if (repo.context.owner == "none" && !repo.context.remote.local && !retryable) {
    // The likely cause of a refusal, said where the chat reads it: no other job's token was
    // tried, and none will be.
    text += " (this chat stored no token for this repository: /repo URL TOKEN)";
  }
  log::warn(text + " (" + std::to_string(repo.in_flight.size()) + " jobs)");
  for (const auto& pending : repo.in_flight) {
    fail_job(pending, text, retryable);
  }
  release_photo_bytes(repo.in_flight);
  repo.in_flight.clear();
  repo.attempt = 0;
  repo.backoff.reset();
  repo.isolating = false;
  if (has_work(repo)) {
    if (m_input_over) {
      dispatch(repo);
    } else {
      schedule(repo, Millis(m_options.batch_ms));
    }
  }
}

void Committer::count_photo(Pending& pending, size_t bytes) {
  m_photo_bytes = m_photo_bytes - pending.photo_bytes + bytes;
  pending.photo_bytes = bytes;
  // Input pauses above the cap and resumes below half of it, so it does not flap per job; the
  // batches already held still go out, which is what brings the count down.
  if (!m_paused_for_photos && m_photo_bytes > m_options.max_photo_bytes) {
    m_paused_for_photos = true;
    log::debug("holding " + std::to_string(m_photo_bytes >> 20) + " MB of photos: input paused");
    m_io.pause();
  } else if (m_paused_for_photos && m_photo_bytes <= m_options.max_photo_bytes / 2) {
    m_paused_for_photos = false;
    m_io.resume();
  }
}

void Committer::release_photo_bytes(std::vector<Pending>& jobs) {
  for (auto& pending : jobs) {
    count_photo(pending, 0);
  }
}

void Committer::fail_job(const Pending& pending, const std::string& reason, bool retryable) {
  ++m_stats.failed;
  std::string line = jsonl::dump(error_json(pending.job->derive(jsonl::Kind::error), log::redact(reason), retryable));
  if (retryable) {
    m_io.release(pending.token, {std::move(line)}); // a queue keeps the job for a later try
  } else {
    m_io.finish(pending.token, {std::move(line)});
  }
}

std::string Committer::progress_line(const Job& job, const char* step, int pct, std::string_view text) {
  ObjectText& line = m_line;
  job.shared_members(line);
  line.raw("v", "1");
  line.raw("kind", "\"progress\"");
  line.integer("ts", jsonl::now_ms());
  line.raw("stage", "\"m2g-commit\"");
  line.string("step", step);
  line.integer("pct", pct);
  line.string("text", text);
  return line.finish();
}

std::string Committer::result_line(const Job& job, const JobResult& result, const BatchReport& report,
                                   std::string_view url) {
  ObjectText& line = m_line;
  job.shared_members(line);
  line.raw("v", "1");
  line.raw("kind", "\"result\"");
  line.integer("ts", jsonl::now_ms());
  line.string("file", job.file());
  line.string("commit", report.commit);
  line.boolean("duplicate", result.outcome == Outcome::duplicate);
  if (std::string_view title = result.title(job); !title.empty()) {
    line.string("title", title);
  }
  const json* issue_url = nullptr;
  if (result.details && result.details->extra.is_object()) {
    const json& extra = result.details->extra;
    for (auto it = extra.begin(); it != extra.end(); ++it) {
      line.value(it.key(), it.value()); // the key lives in `result`, as long as the line needs it
    }
    if (auto issue = extra.find("issue"); issue != extra.end() && issue->contains("url")) {
      issue_url = &(*issue)["url"];
    }
  }
  if (issue_url) {
    line.value("url", *issue_url);
  } else if (!url.empty()) {
    line.string("url", url);
  }
  return line.finish();
}

} // namespace m2g::commit
