#pragma once
// A job line (man/m2g.7, kind "job") as m2g-commit understands it, checked once on arrival:
// a job that can never succeed (unknown op, bad file name, no text) is answered with an error
// line at once instead of failing a whole batch later.

#include "common/commit/boxed.hpp"
#include "common/core/error.hpp"
#include "common/jsonl/line.hpp"

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace m2g::commit {

enum class Op { add, done, issue, close, sync, list_todo, list_issue };

/// The photo of an "add" or "issue" job, and what fetching it produced.
struct Photo {
  std::string file_id;
  std::string file_unique_id;
  int64_t file_size = 0; ///< as Telegram announced it (0: unknown)
  std::string caption;
  // Filled in before the job joins a batch:
  std::string ext = "jpg";
  std::string bytes;
  bool fetched = false;
};

/// What the GitHub side of an issue job produced before the batch.
struct IssueFacts {
  std::string repo; ///< owner/repo
  int64_t number = 0;
  std::string url;
  bool created = false; ///< false when it already existed (a retried job)
};

struct Job {
  std::string id;
  Op op = Op::add;
  std::string target; ///< note, todo, issue, idea, inbox, tool, custom
  std::string file;   ///< the file written (validated)
  std::string text;
  Boxed<Photo> photo;
  int64_t date = 0; ///< Unix seconds
  std::string tz = "UTC";
  std::string title;
  std::vector<std::string> hashtags;
  std::string repo_url; ///< empty: the default repository
  bool repo_token = false;
  int64_t chat_id = 0;
  int64_t message_id = 0;
  int64_t todo_message_id = 0; ///< op done
  int64_t todo_chat_id = 0;
  int64_t issue_number = 0; ///< op close
  int64_t limit = 10;       ///< op list_*
  /// The job line's shared fields (jsonl::derive), serialized: the lines derived from the job
  /// need only these, and ten thousand parsed job lines held for one batch were most of
  /// m2g-commit's memory (a parsed line costs ~2 KB, this ~100 bytes).
  std::string shared;

  /// A new line of `kind` carrying the job's shared fields, as jsonl::derive(job line, kind).
  nlohmann::json derive(jsonl::Kind kind) const;

  // Filled in before the job joins a batch (issue jobs, close, sync):
  Boxed<IssueFacts> issue;
  std::map<int64_t, bool> issue_states; ///< sync: number → open; numbers missing stay as they are
  int64_t issues_unknown = 0;           ///< sync: states that could not be fetched
};

/// Parse and check a job line. `now_s` is used when the job has no "date".
Result<Job> parse_job(const nlohmann::json& line, int64_t now_s);

const char* op_name(Op op);
/// True for the ops that only read the repository.
inline bool is_read_only(Op op) {
  return op == Op::list_todo || op == Op::list_issue;
}

} // namespace m2g::commit
