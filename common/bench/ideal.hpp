#pragma once
// The ideal time of a scenario: the physical bound its latencies and limits put on any
// implementation, with zero processing cost. A measured time is judged against it
// (efficiency = ideal / measured). Each bound is a lower bound of its own; the ideal is the
// largest of them, and the report names the one that decided it.
//
//   admission   the last message leaves the rate limiter: global bucket (N - burst) / rate,
//               each user's bucket (m - burst) / rate with m = ceil(N / users) messages
//   keyboards   interactive only: the last keyboard must reach Telegram before its click,
//               (N - tg_burst) / tg_rate
//   commit      last admission + LLM + one commit; one repository commits serially, so also
//               LLM + ceil(n / batch_max) commits, and its token's last write (GitHub's
//               secondary limit) cannot go before LLM + (writes - burst) / (per_minute / 60)
//   confirm     every message's final ✅ is a Telegram call: (calls - tg_burst) / tg_rate,
//               never before the commit it confirms

#include <cstddef>
#include <string>

namespace m2g::bench {

struct IdealInputs {
  size_t messages = 0;
  size_t users = 1;
  double global_rate = 5000; ///< m2g-limit, per second
  double global_burst = 5000;
  double user_rate = 30;
  double user_burst = 30;
  double llm_s = 0;    ///< one title request
  double commit_s = 0; ///< one commit pushed to GitHub
  size_t repos = 1;    ///< messages spread evenly over this many repositories
  size_t batch_max = 1000;
  double writes_per_commit = 4;  ///< content-creating requests of one commit (blob, tree, commit, ref)
  double writes_per_minute = 80; ///< per token (0: unlimited)
  double writes_burst = 5;
  bool interactive = false;  ///< each message needs a keyboard and a click
  double telegram_rate = 30; ///< the bot's sends per second (0: unlimited)
  double telegram_burst = 30;
};

struct Ideal {
  double admission_s = 0; ///< the last message admitted
  double keyboards_s = 0; ///< the last keyboard shown (interactive)
  double total_s = 0;     ///< the last message pushed
  double confirm_s = 0;   ///< the last ✅ shown
  std::string bound;      ///< which bound decided total_s: "admission", "keyboards", "commits", "writes"
};

/// The time for `n` requests through a token bucket of `rate`/s and `burst`, all asked at 0.
double bucket_drain_s(double n, double rate, double burst);

/// The ideal times of a scenario.
Ideal ideal_times(const IdealInputs& in);

} // namespace m2g::bench
