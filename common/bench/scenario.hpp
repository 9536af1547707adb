#pragma once
// The named scenarios of m2g-bench, after the reference bot's benchmark report: how many
// messages from how many users, the fakes' latencies, the limits, and how the messages are
// sent (filed straight to the inbox, or through the keyboard and a click; text or photos).
// A scenario may be a family of runs (inbox-flow at 1K/5K/10K users, progress on and off,
// scaling from 1 to 10,000 users); overrides (--messages, --users, --telegram-rate) apply to
// every run and let tests run any scenario small.

#include "common/bench/ideal.hpp"

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace m2g::bench {

/// Where the messages are committed.
enum class RepoModel {
  per_chat, ///< multi-user mode: every chat its own repository (and token), batches in parallel
  shared,   ///< one repository for everybody (m2g-commit's default repository)
};

/// One run of the pipeline.
struct Scenario {
  std::string name;  ///< the family's name, e.g. "inbox-flow"
  std::string label; ///< this run within the family, e.g. "1000 users" ("" for a single run)
  std::string summary;
  size_t messages = 0;
  size_t users = 0;
  double llm_s = 0;             ///< latency of one LLM title request
  double commit_s = 0;          ///< GitHub latency of one commit (its API calls together)
  double telegram_call_s = 0;   ///< latency of each Bot API send/edit call
  double limit_rate = 5000;     ///< m2g-limit --rate
  double limit_burst = 5000;    ///< m2g-limit --burst
  double user_rate = 30;        ///< m2g-limit --per-key-rate
  double user_burst = 30;       ///< m2g-limit --per-key-burst
  double telegram_rate = 30;    ///< the bot's sends per second (fake Telegram and m2g-progress)
  double writes_per_minute = 0; ///< GitHub's content-creating requests per token (0: unlimited)
  RepoModel repos = RepoModel::per_chat;
  bool interactive = false; ///< keyboard and click per message, instead of "#inbox"
  bool photos = false;      ///< each message is a photo with a caption
  bool progress = true;     ///< m2g-progress in the pipeline (off: results go straight to the driver)
  std::string reference;    ///< the reference bot's published figure, if any

  /// "inbox-flow (1000 users)" or "realistic-10k".
  std::string title() const;
  /// The number of distinct repositories the messages go to.
  size_t repo_count() const;
  /// The inputs of the ideal-time formulas.
  IdealInputs ideal_inputs(size_t batch_max, double writes_per_commit) const;
};

/// Command-line overrides applied to every run of a family.
struct Overrides {
  std::optional<size_t> messages;
  std::optional<size_t> users;
  std::optional<double> telegram_rate;
};

/// A named scenario: its description and its runs.
struct Family {
  std::string name;
  std::string summary;
  std::vector<Scenario> runs;
};

/// Every scenario, in the order the man page lists them.
const std::vector<Family>& families();
/// The family called `name` with `overrides` applied; nullopt for an unknown name. A family
/// whose runs differ in users (inbox-flow, scaling) becomes one run when --users is given.
std::optional<Family> find_family(const std::string& name, const Overrides& overrides = {});

} // namespace m2g::bench
