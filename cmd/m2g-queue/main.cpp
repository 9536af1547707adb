// m2g-queue: durable SQLite queues between stages (see man/m2g-queue.1).
#include "common/cli/app.hpp"
#include "common/core/signals.hpp"
#include "common/queue/commands.hpp"

#include <unistd.h>

namespace {

void add_common(CLI::App& sub, m2g::queue::CommonOptions& o, std::string& sync) {
  sub.add_option("DB", o.db, "Queue database file (created if missing)")->required();
  sub.add_option("-t,--topic", o.topic, "Topic within the database")->envname("M2G_QUEUE_TOPIC")->capture_default_str();
  sub.add_option("--sync", sync, "SQLite synchronous level: full (survives power loss) or normal (survives crashes)")
      ->check(CLI::IsMember({"full", "normal"}))
      ->envname("M2G_QUEUE_SYNC")
      ->capture_default_str();
}

} // namespace

int main(int argc, char** argv) {
  using namespace m2g::queue;
  PutCommand put;
  TakeCommand take;
  AckCommand ack;
  StatCommand stat;
  CommonOptions revive;
  std::string put_sync = "full", take_sync = "full", ack_sync = "full", stat_sync = "full", revive_sync = "full";

  auto define = [&](CLI::App& app) {
    app.require_subcommand(1);
    auto* p = app.add_subcommand("put", "Store every stdin line durably in a topic");
    add_common(*p, put, put_sync);
    p->add_option("--reject", put.reject_path, "Append malformed lines to FILE");

    auto* t = app.add_subcommand("take", "Print ready lines in order, each leased and marked with its qid");
    add_common(*t, take, take_sync);
    t->add_option("-n,--max", take.max, "Print at most N lines (0: all)")
        ->check(CLI::Range(int64_t{0}, int64_t{1'000'000'000}))
        ->capture_default_str();
    t->add_flag("-f,--follow", take.follow, "Wait for new lines instead of exiting when the topic is empty");
    t->add_option("--lease", take.lease_seconds, "Seconds before an unacknowledged line is ready again")
        ->check(CLI::Range(int64_t{1}, int64_t{366} * 86400))
        ->capture_default_str();
    t->add_option("--max-tries", take.max_tries, "A line taken this many times goes dead instead (0: never)")
        ->check(CLI::Range(int64_t{0}, int64_t{1'000'000}))
        ->capture_default_str();
    t->add_flag("--dead", take.dead, "Print the topic's dead lines (no lease) instead of ready ones");

    auto* a = app.add_subcommand("ack", "Delete the entries named by the qid of stdin's result lines");
    add_common(*a, ack, ack_sync);
    a->add_flag("--nack", ack.nack, "Release the entries for another try instead of deleting them");
    a->add_flag("--all", ack.all, "Acknowledge every line carrying a qid, whatever its kind");
    a->add_flag("-p,--pass-through", ack.pass_through, "Copy every input line to stdout after it is handled");
    a->add_option("--reject", ack.reject_path, "Append malformed lines to FILE");

    auto* s = app.add_subcommand("stat", "Show ready, leased and dead counts per topic");
    s->add_option("DB", stat.db, "Queue database file")->required();
    s->add_flag("--json", stat.json, "One JSON object per topic");

    auto* r = app.add_subcommand("revive", "Make a topic's dead lines ready again");
    add_common(*r, revive, revive_sync);
  };

  auto run = [&](CLI::App& app) {
    auto sync = [](const std::string& s) { return *m2g::sqlite::parse_sync(s); };
    put.sync = sync(put_sync);
    take.sync = sync(take_sync);
    ack.sync = sync(ack_sync);
    revive.sync = sync(revive_sync);
    m2g::signals::install_stop_handlers();
    if (app.got_subcommand("put")) {
      return run_put(put, STDIN_FILENO);
    }
    if (app.got_subcommand("take")) {
      return run_take(take, STDOUT_FILENO);
    }
    if (app.got_subcommand("ack")) {
      return run_ack(ack, STDIN_FILENO, STDOUT_FILENO);
    }
    if (app.got_subcommand("stat")) {
      return run_stat(stat, STDOUT_FILENO);
    }
    return run_revive(revive, STDOUT_FILENO);
  };

  return m2g::cli::main_wrapper(argc, argv, "m2g-queue: durable SQLite queues between m2g stages", define, run);
}
