#pragma once
// A job line (man/m2g.7, kind "job") as m2g-commit understands it, checked once on arrival:
// a job that can never succeed (unknown op, bad file name, no text) is answered with an error
// line at once instead of failing a whole batch later.
//
// A batch holds every job until its push is done (a rejected push plans them again), ten
// thousand of them in one notebook's burst, so a Job is kept small: its text fields share one
// allocation, what most jobs lack sits behind a pointer, and of the line's shared fields only
// those it cannot write again from its own (user_id, t0, qid, ...) are kept as text.

#include "common/commit/boxed.hpp"
#include "common/core/error.hpp"
#include "common/jsonl/line.hpp"

#include <array>
#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace m2g::commit {

class ObjectText;

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

/// The parts of a job that most jobs lack.
struct JobDetails {
  std::string repo_url; ///< empty: the default repository
  bool repo_token = false;
  int64_t todo_message_id = 0; ///< op done
  int64_t todo_chat_id = 0;
  int64_t issue_number = 0; ///< op close
  int64_t limit = 10;       ///< op list_*
  // Filled in before the job joins a batch (op sync):
  std::map<int64_t, bool> issue_states; ///< number → open; numbers missing stay as they are
  int64_t issues_unknown = 0;           ///< states that could not be fetched
};

struct Job {
  Op op = Op::add;
  int64_t chat_id = 0;
  int64_t message_id = 0;
  int64_t date = 0; ///< Unix seconds
  Boxed<Photo> photo;
  Boxed<IssueFacts> issue; ///< filled in before the job joins a batch (issue jobs)
  Boxed<JobDetails> details;

  /// The text fields, all of them views of one buffer.
  std::string_view id() const { return field(k_id); }
  std::string_view target() const { return field(k_target); } ///< note, todo, issue, idea, inbox, tool, custom
  std::string_view file() const { return field(k_file); }     ///< the file written (validated)
  std::string_view text() const { return field(k_text); }
  std::string_view tz() const; ///< IANA name, "UTC" when the line gave none
  std::string_view title() const { return field(k_title); }
  /// The hashtags as an entry shows them: "#tag1 #tag2", cleaned (text.hpp), "" for none.
  std::string_view tags() const { return field(k_tags); }

  const std::string& repo_url() const;
  bool repo_token() const { return details && details->repo_token; }
  int64_t todo_message_id() const { return details ? details->todo_message_id : 0; }
  int64_t todo_chat_id() const { return details ? details->todo_chat_id : 0; }
  int64_t issue_number() const { return details ? details->issue_number : 0; }
  int64_t limit() const { return details ? details->limit : 10; }
  /// The details, made when missing (for what preparers fill in).
  JobDetails& details_to_fill();

  /// A new line of `kind` carrying the job's shared fields, as jsonl::derive(job line, kind).
  nlohmann::json derive(jsonl::Kind kind) const;
  /// The same shared fields, as members of a line written as text.
  void shared_members(ObjectText& line) const;

private:
  friend Result<Job> parse_job(const nlohmann::json& line, int64_t now_s);
  enum Field { k_id, k_target, k_file, k_text, k_tz, k_title, k_tags, k_rest, k_fields };
  /// Shared fields written again from the job's own rather than kept as text.
  enum Derived : uint8_t { k_derived_id = 1, k_derived_chat = 2, k_derived_message = 4, k_derived_target = 8 };

  std::string_view field(Field f) const {
    uint32_t begin = f == 0 ? 0 : m_ends[f - 1];
    return std::string_view(m_text).substr(begin, m_ends[f] - begin);
  }
  void set_fields(const std::array<std::string_view, k_fields>& fields);

  std::string m_text; ///< the fields back to back; the last is the rest of the shared fields, a JSON object
  std::array<uint32_t, k_fields> m_ends{};
  uint8_t m_derived = 0;
};

/// Parse and check a job line. `now_s` is used when the job has no "date".
Result<Job> parse_job(const nlohmann::json& line, int64_t now_s);

const char* op_name(Op op);
/// True for the ops that only read the repository.
inline bool is_read_only(Op op) {
  return op == Op::list_todo || op == Op::list_issue;
}

} // namespace m2g::commit
