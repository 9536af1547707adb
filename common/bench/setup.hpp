#pragma once
// The workspace of one run: a directory with the bot's data, each process's log and the
// notebook (a bare repository, behind the fake GitHub when the scenario models GitHub), the fake servers started with
// the scenario's latencies and limits, and the configuration the stages get. Removed at the end unless a run failed or
// --keep was given; the fakes are stopped when it goes.

#include "common/bench/fakes.hpp"
#include "common/bench/pipeline.hpp"
#include "common/bench/runner.hpp"
#include "common/bench/scenario.hpp"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace m2g::bench {

class Workspace {
public:
  /// Make the directory, the notebook and the fakes; `first_chat` is the first user's chat.
  static Result<std::unique_ptr<Workspace>> create(const Scenario& scenario, const RunOptions& options,
                                                   int64_t first_chat);
  ~Workspace();
  Workspace(const Workspace&) = delete;
  Workspace& operator=(const Workspace&) = delete;

  /// The scenario as run: latencies no fake models are set to 0 (and said so in `notes`).
  Scenario scenario;
  PipelineConfig config;
  std::vector<std::string> notes;

  std::string telegram_url() const { return m_telegram ? m_telegram->url() : ""; }
  /// The fake LLM's base URL, "" when this run has none.
  std::string llm_url() const { return m_llm ? m_llm->url() : ""; }
  /// A new log file for `name` (its fd, to give a child as stderr; the caller closes it).
  int open_log(const std::string& name) const;
  std::string log_path(const std::string& name) const;
  /// Commits on the notebook's main branch (git rev-list --count).
  size_t count_commits() const;
  /// SIGTERM the fakes and wait for them.
  void stop_fakes();
  /// Keep the directory, saying why.
  void keep(const std::string& why);
  /// "work directory kept: DIR (why)" or "".
  std::string kept_note() const;

private:
  Workspace() = default;
  std::string m_dir;
  bool m_temporary = false;
  bool m_keep = false;
  std::string m_keep_why;
  std::optional<FakeServer> m_telegram;
  std::optional<FakeServer> m_llm;
  std::optional<FakeServer> m_github;
  std::string m_notebook;    ///< the bare repository the commits land in
  size_t m_seed_commits = 0; ///< commits it had before the run (a GitHub repository's first)
};

/// "150us", "5s": a duration for a fake's --latency option.
std::string latency_arg(double seconds);

/// "first,first+1,...": the chat ids of `users` users.
std::string chat_list(int64_t first_chat, size_t users);

} // namespace m2g::bench
