#pragma once
// The subcommands of m2g-queue, callable from tests: put, take, ack, stat, revive.

#include "common/sqlite/db.hpp"

#include <cstdint>
#include <string>

namespace m2g::queue {

struct CommonOptions {
  std::string db;
  std::string topic = "default";
  sqlite::Sync sync = sqlite::Sync::full;
  std::string reject_path;
};

struct PutCommand : CommonOptions {};

struct TakeCommand : CommonOptions {
  int64_t max = 0; ///< 0: no limit
  bool follow = false;
  int64_t lease_seconds = 300;
  int64_t max_tries = 5; ///< 0: never give up on a line
  bool dead = false;     ///< print dead lines instead (no lease)
};

struct AckCommand : CommonOptions {
  bool nack = false; ///< release instead of delete
  bool all = false;  ///< ack every line that carries a qid of this topic
  bool pass_through = false;
};

struct StatCommand : CommonOptions {
  bool json = false;
};

/// Each returns the exit code; input from `in_fd`, data to `out_fd`.
int run_put(const PutCommand& options, int in_fd);
int run_take(const TakeCommand& options, int out_fd);
int run_ack(const AckCommand& options, int in_fd, int out_fd);
int run_stat(const StatCommand& options, int out_fd);
int run_revive(const CommonOptions& options, int out_fd);

} // namespace m2g::queue
