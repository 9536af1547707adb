#include "common/bench/ideal.hpp"

#include <algorithm>
#include <cmath>

namespace m2g::bench {

double bucket_drain_s(double n, double rate, double burst) {
  if (rate <= 0 || n <= burst) {
    return 0;
  }
  return (n - burst) / rate;
}

Ideal ideal_times(const IdealInputs& in) {
  Ideal ideal;
  if (in.messages == 0) {
    return ideal;
  }
  auto n = static_cast<double>(in.messages);
  size_t users = std::max<size_t>(in.users, 1);
  double per_user = std::ceil(n / static_cast<double>(users));
  double tg_calls_before = 0;

  if (in.interactive) {
    // Keyboards go out before any click; the first click can come with the first keyboard, so
    // admissions overlap with keyboards and the later of the two decides.
    ideal.keyboards_s = bucket_drain_s(n, in.telegram_rate, in.telegram_burst);
    tg_calls_before = n;
  }
  ideal.admission_s = std::max({bucket_drain_s(n, in.global_rate, in.global_burst),
                                bucket_drain_s(per_user, in.user_rate, in.user_burst), ideal.keyboards_s});
  ideal.bound = ideal.keyboards_s > 0 && ideal.keyboards_s >= ideal.admission_s ? "keyboards" : "admission";

  // Commits: the last admitted message still needs its title and its commit.
  double last = ideal.admission_s + in.llm_s + in.commit_s;
  size_t repos = std::max<size_t>(in.repos, 1);
  double per_repo = std::ceil(n / static_cast<double>(repos));
  double commits = std::ceil(per_repo / static_cast<double>(std::max<size_t>(in.batch_max, 1)));
  double serial = in.llm_s + commits * in.commit_s;
  if (serial > last) {
    last = serial;
    ideal.bound = "commits";
  }
  if (in.writes_per_minute > 0) {
    // The last write cannot be sent before the token has earned it (a lower bound: the
    // commit's own latency overlaps with its writes).
    double writes =
        in.llm_s + bucket_drain_s(commits * in.writes_per_commit, in.writes_per_minute / 60.0, in.writes_burst);
    if (writes > last) {
      last = writes;
      ideal.bound = "writes";
    }
  }
  ideal.total_s = last;

  // Confirmations: one final call per message, after the keyboards of the interactive flow.
  ideal.confirm_s = std::max(ideal.total_s, bucket_drain_s(tg_calls_before + n, in.telegram_rate, in.telegram_burst));
  return ideal;
}

} // namespace m2g::bench
