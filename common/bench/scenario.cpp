#include "common/bench/scenario.hpp"

#include <algorithm>

namespace m2g::bench {
namespace {

// The reference report's realistic run: LLM 5 s, GitHub 2 s per commit, limits 5,000/s burst
// 5,000 overall and 30/s per user.
Scenario realistic(std::string name, size_t messages, size_t users) {
  Scenario s;
  s.name = std::move(name);
  s.messages = messages;
  s.users = users;
  s.llm_s = 5;
  s.commit_s = 2;
  return s;
}

std::vector<Family> build() {
  std::vector<Family> all;
  {
    Scenario s = realistic("realistic-10k", 10'000, 10'000);
    s.summary = "10,000 messages from 10,000 users filed to the inbox (#inbox) of one shared notebook";
    s.reference = "reference bot: 8.70 s (its harness skipped Telegram, its worker pool and its GitHub client)";
    all.push_back({s.name, s.summary, {s}});
  }
  {
    Scenario s = realistic("realistic-10k-interactive", 10'000, 10'000);
    s.interactive = true;
    s.summary = "as realistic-10k, but each message is answered with the keyboard and filed by a click";
    all.push_back({s.name, s.summary, {s}});
  }
  {
    Scenario s = realistic("realistic-10k-photos", 10'000, 10'000);
    s.photos = true;
    s.summary = "as realistic-10k, but each message is a photo with an #inbox caption";
    all.push_back({s.name, s.summary, {s}});
  }
  {
    Family family{
        "inbox-flow", "10,000 messages to the inbox from 1K, 5K and 10K users, LLM 150 µs, GitHub 200 µs", {}};
    for (size_t users : {1'000, 5'000, 10'000}) {
      Scenario s;
      s.name = family.name;
      s.label = std::to_string(users) + " users";
      s.summary = family.summary;
      s.messages = 10'000;
      s.users = users;
      s.llm_s = 150e-6;
      s.commit_s = 200e-6;
      family.runs.push_back(s);
    }
    all.push_back(family);
  }
  {
    Scenario s = realistic("team-repo", 10'000, 100);
    s.repos = RepoModel::shared;
    s.writes_per_minute = 80;
    s.summary = "10,000 messages from a team of 100 into ONE repository, under GitHub's 80 writes/minute";
    all.push_back({s.name, s.summary, {s}});
  }
  {
    Family family{"progress", "1,000 messages with progress shown (200 ms per Telegram edit) and without", {}};
    for (bool on : {false, true}) {
      Scenario s = realistic(family.name, 1'000, 1'000);
      s.label = on ? "on" : "off";
      s.summary = family.summary;
      s.progress = on;
      s.telegram_call_s = 0.2;
      family.runs.push_back(s);
    }
    all.push_back(family);
  }
  {
    Family family{"scaling", "1 message per user, 1 to 10,000 users, realistic latencies", {}};
    for (size_t users : {1, 10, 100, 1'000, 10'000}) {
      Scenario s = realistic(family.name, users, users);
      s.label = std::to_string(users) + (users == 1 ? " user" : " users");
      s.summary = family.summary;
      family.runs.push_back(s);
    }
    all.push_back(family);
  }
  return all;
}

} // namespace

std::string Scenario::title() const {
  return label.empty() ? name : name + " (" + label + ")";
}

size_t Scenario::repo_count() const {
  return repos == RepoModel::shared ? 1 : std::max<size_t>(users, 1);
}

IdealInputs Scenario::ideal_inputs(size_t batch_max, double writes_per_commit) const {
  IdealInputs in;
  in.messages = messages;
  in.users = users;
  in.global_rate = limit_rate;
  in.global_burst = limit_burst;
  in.user_rate = user_rate;
  in.user_burst = user_burst;
  in.llm_s = llm_s;
  in.commit_s = commit_s;
  in.repos = repo_count();
  in.batch_max = batch_max;
  in.writes_per_commit = writes_per_commit;
  in.writes_per_minute = writes_per_minute;
  in.interactive = interactive;
  in.telegram_rate = telegram_rate;
  in.telegram_burst = telegram_rate;
  return in;
}

const std::vector<Family>& families() {
  static const std::vector<Family> all = build();
  return all;
}

std::optional<Family> find_family(const std::string& name, const Overrides& overrides) {
  for (const auto& family : families()) {
    if (family.name != name) {
      continue;
    }
    Family out = family;
    bool users_vary = std::any_of(out.runs.begin(), out.runs.end(),
                                  [&](const Scenario& s) { return s.users != out.runs.front().users; });
    if (overrides.users && users_vary) {
      out.runs.resize(1);
      out.runs.front().label = std::to_string(*overrides.users) + " users";
    }
    for (auto& run : out.runs) {
      // scaling sends one message per user: a user override changes both.
      bool one_each = run.messages == run.users && run.name == "scaling";
      if (overrides.users) {
        run.users = *overrides.users;
        if (one_each) {
          run.messages = run.users;
        }
      }
      if (overrides.messages) {
        run.messages = *overrides.messages;
      }
      if (overrides.telegram_rate) {
        run.telegram_rate = *overrides.telegram_rate;
      }
      run.users = std::max<size_t>(std::min(run.users, std::max<size_t>(run.messages, 1)), 1);
    }
    return out;
  }
  return std::nullopt;
}

} // namespace m2g::bench
