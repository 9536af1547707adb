#include "common/bench/report.hpp"

#include <cmath>
#include <cstdio>
#include <numeric>

namespace m2g::bench {
namespace {

std::string fixed(double value, int decimals) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, value);
  return buf;
}

// "8.43 s", "512 ms", "180 µs": latencies from microseconds to minutes.
std::string duration(double seconds) {
  if (seconds < 1e-3) {
    return fixed(seconds * 1e6, 0) + " µs";
  }
  if (seconds < 1) {
    return fixed(seconds * 1e3, seconds < 0.01 ? 2 : 1) + " ms";
  }
  return fixed(seconds, seconds < 100 ? 2 : 1) + " s";
}

// Display width of UTF-8 text, counting each code point as one column.
size_t width(const std::string& text) {
  size_t columns = 0;
  for (unsigned char c : text) {
    columns += (c & 0xC0) != 0x80 ? 1 : 0;
  }
  return columns;
}

std::string pad(const std::string& text, size_t columns) {
  size_t have = width(text);
  return have >= columns ? text : text + std::string(columns - have, ' ');
}

struct Row {
  std::string metric, value, note;
};

} // namespace

std::string group_digits(double value, int decimals) {
  std::string text = fixed(std::fabs(value), decimals);
  size_t point = text.find('.');
  std::string whole = text.substr(0, point);
  std::string rest = point == std::string::npos ? "" : text.substr(point);
  std::string grouped;
  for (size_t i = 0; i < whole.size(); ++i) {
    if (i > 0 && (whole.size() - i) % 3 == 0) {
      grouped += ',';
    }
    grouped += whole[i];
  }
  return (value < 0 && std::stod(text) != 0 ? "-" : "") + grouped + rest;
}

double RunFigures::success_pct() const {
  size_t expected = scenario.messages;
  return expected == 0 ? 100.0 : 100.0 * static_cast<double>(succeeded) / static_cast<double>(expected);
}

double RunFigures::messages_per_s() const {
  return total_s > 0 ? static_cast<double>(succeeded) / total_s : 0.0;
}

double RunFigures::efficiency() const {
  return total_s > 0 ? ideal.total_s / total_s : 0.0;
}

double RunFigures::peak_rss_sum_mb() const {
  return std::accumulate(stages.begin(), stages.end(), 0.0,
                         [](double sum, const StageFigures& s) { return sum + s.peak_rss_mb; });
}

std::string format_table(const RunFigures& run) {
  const Scenario& s = run.scenario;
  std::vector<Row> rows;
  rows.push_back({"Messages", group_digits(static_cast<double>(s.messages)), ""});
  rows.push_back({"Users", group_digits(static_cast<double>(s.users)),
                  s.repos == RepoModel::shared ? "one shared repository"
                                               : group_digits(static_cast<double>(s.repo_count())) + " repositories"});
  rows.push_back({"Total time", duration(run.total_s), "end to end: first update injected → last result pushed"});
  rows.push_back({"Messages/s", group_digits(run.messages_per_s(), 1), "end to end"});
  rows.push_back({"Success", fixed(run.success_pct(), 1) + " %",
                  group_digits(static_cast<double>(run.succeeded)) + " pushed, " +
                      group_digits(static_cast<double>(run.failed)) + " failed"});
  rows.push_back({"LLM calls", group_digits(static_cast<double>(run.llm_calls)), "titles the fake LLM answered"});
  rows.push_back(
      {"Commits", group_digits(static_cast<double>(run.commits)), "git rev-list --count on the notebook's main"});
  rows.push_back({"Pushes", group_digits(static_cast<double>(run.pushes)),
                  "one per commit: a push, or a ref update through the GitHub API"});
  rows.push_back(
      {"Latency p50", duration(run.end_to_end.percentile(50)), "end to end: update injected → result pushed"});
  rows.push_back({"Latency p99", duration(run.end_to_end.percentile(99)), "end to end"});
  std::string confirm_note = "end to end: until the last user sees ✅";
  if (!run.confirm_complete) {
    confirm_note += " (" + group_digits(static_cast<double>(run.confirmed)) + " of " +
                    group_digits(static_cast<double>(s.messages)) + " seen when the driver stopped waiting)";
  }
  if (s.progress) {
    rows.push_back({"Confirmed", duration(run.confirm_s), confirm_note});
    rows.push_back({"Confirm p50/p99",
                    duration(run.confirm.percentile(50)) + " / " + duration(run.confirm.percentile(99)),
                    "update injected → ✅ shown"});
  } else {
    rows.push_back({"Confirmed", "-", "m2g-progress not in the pipeline: nobody is told"});
  }
  rows.push_back({"Telegram calls", group_digits(static_cast<double>(run.telegram_calls)),
                  "sends, edits and answers the fake Telegram took"});
  rows.push_back({"Ideal time", duration(run.ideal.total_s), "bound: " + run.ideal.bound});
  rows.push_back({"Efficiency", fixed(100 * run.efficiency(), 1) + " %", "ideal / measured"});
  rows.push_back({"Ideal confirm", duration(run.ideal.confirm_s),
                  "Telegram sends " + group_digits(s.telegram_rate) + " msg/s per bot"});
  for (const auto& stage : run.stages) {
    std::string note = "CPU " + fixed(stage.cpu_s, 2) + " s";
    if (stage.exit_code != 0) {
      note += ", exit " + std::to_string(stage.exit_code);
    }
    rows.push_back({"Peak RSS " + stage.name, fixed(stage.peak_rss_mb, 1) + " MB", note});
  }
  rows.push_back({"Peak RSS sum", fixed(run.peak_rss_sum_mb(), 1) + " MB", "VmHWM of every stage, summed"});

  size_t metric_w = 6;
  size_t value_w = 5;
  for (const auto& row : rows) {
    metric_w = std::max(metric_w, width(row.metric));
    value_w = std::max(value_w, width(row.value));
  }
  std::string out = "m2g-bench " + s.title() + ": " + s.summary + "\n";
  out += "LLM " + duration(s.llm_s) + ", GitHub " + duration(s.commit_s) + " per commit, limits " +
         group_digits(s.limit_rate) + "/s burst " + group_digits(s.limit_burst) + " overall and " +
         group_digits(s.user_rate) + "/s per user";
  if (s.writes_per_minute > 0) {
    out += ", GitHub " + group_digits(s.writes_per_minute) + " writes/minute";
  }
  if (s.telegram_call_s > 0) {
    out += ", Telegram " + duration(s.telegram_call_s) + " per call";
  }
  out += "\nEvery stage is the real binary; Telegram, the LLM and GitHub are fakes spoken to over real HTTP.\n\n";
  out += "| " + pad("Metric", metric_w) + " | " + pad("Value", value_w) + " | Note\n";
  out += "|-" + std::string(metric_w, '-') + "-|-" + std::string(value_w, '-') + "-|-----\n";
  for (const auto& row : rows) {
    out += "| " + pad(row.metric, metric_w) + " | " + pad(row.value, value_w) + " | " + row.note + "\n";
  }
  out += "\n";
  if (!s.reference.empty()) {
    out += s.reference + "\n";
  }
  out += "Telegram's free tier sends about 30 messages/s per bot: " + group_digits(static_cast<double>(s.messages)) +
         " final confirmations alone need about " + duration(static_cast<double>(s.messages) / 30.0) +
         " (--telegram-rate 1000 models paid broadcasts).\n";
  out += "Load average: " + fixed(run.load_before, 2) + " at start, " + fixed(run.load_after, 2) + " at end.\n";
  for (const auto& note : run.notes) {
    out += "Note: " + note + "\n";
  }
  return out;
}

nlohmann::json to_json(const RunFigures& run) {
  const Scenario& s = run.scenario;
  nlohmann::json stages = nlohmann::json::object();
  for (const auto& stage : run.stages) {
    stages[stage.name] = {{"peak_rss_mb", stage.peak_rss_mb}, {"exit_code", stage.exit_code}, {"cpu_s", stage.cpu_s}};
  }
  return {
      {"scenario", s.name},
      {"run", s.label},
      {"messages", s.messages},
      {"users", s.users},
      {"repositories", s.repo_count()},
      {"injected", run.injected},
      {"succeeded", run.succeeded},
      {"failed", run.failed},
      {"total_s", run.total_s},
      {"confirm_s", run.confirm_s},
      {"confirm_complete", run.confirm_complete},
      {"confirmed", run.confirmed},
      {"messages_per_s", run.messages_per_s()},
      {"success_pct", run.success_pct()},
      {"ideal_s", run.ideal.total_s},
      {"ideal_bound", run.ideal.bound},
      {"ideal_confirm_s", run.ideal.confirm_s},
      {"efficiency", run.efficiency()},
      {"llm_calls", run.llm_calls},
      {"commits", run.commits},
      {"pushes", run.pushes},
      {"telegram_calls", run.telegram_calls},
      {"telegram_429", run.telegram_429},
      {"p50_s", run.end_to_end.percentile(50)},
      {"p99_s", run.end_to_end.percentile(99)},
      {"confirm_p50_s", run.confirm.percentile(50)},
      {"confirm_p99_s", run.confirm.percentile(99)},
      {"peak_rss_mb", run.peak_rss_sum_mb()},
      {"stages", stages},
      {"telegram_rate", s.telegram_rate},
      {"load_before", run.load_before},
      {"load_after", run.load_after},
      {"end_to_end", "total_s, p50_s, p99_s: update injected into the fake Telegram -> result line out of the "
                     "pipeline after the push; confirm_s: -> the last final edit shown by the fake Telegram"},
      {"notes", run.notes},
  };
}

} // namespace m2g::bench
