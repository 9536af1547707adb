#pragma once
// The heart of a batch, independent of any backend: given the files of the base commit, what
// each job of the batch writes, which jobs are duplicates, and the one commit's message. The
// git and GitHub backends differ only in where files are read from and how the result is
// committed, so a push that loses a race simply plans the same jobs again on the new tip.

#include "common/commit/job.hpp"
#include "common/core/error.hpp"

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace m2g::commit {

/// The files of the commit a batch builds on.
class FileSource {
public:
  virtual ~FileSource() = default;
  /// The bytes of `path`, nullopt when it does not exist. A failure fails the batch.
  virtual Result<std::optional<std::string>> read(const std::string& path) = 0;
  /// Whether `path` exists (photos are not written twice).
  virtual Result<bool> exists(const std::string& path) = 0;
};

/// What became of one job.
enum class Outcome {
  written,   ///< its change is in the commit
  duplicate, ///< its entry was already in the file
  failed,    ///< it cannot be done (the reason says why); trying again will not help
  answered,  ///< a listing: its actions carry the answer
};

struct JobResult {
  Outcome outcome = Outcome::written;
  std::string file;
  std::string title;
  std::string reason;
  std::vector<nlohmann::json> actions;
  nlohmann::json extra; ///< fields added to the result line (null: none; an empty object costs a map per job)
};

/// One file of the commit.
struct Write {
  std::string path;
  std::string content;
};

struct Plan {
  std::vector<Write> writes;      ///< empty: nothing to commit
  std::vector<JobResult> results; ///< one per job, in the batch's order
  std::string message;            ///< the commit message
};

struct PlanOptions {
  std::string repo_name; ///< "owner/repo" of the repository's issues, "" when unknown
};

/// Where the bytes of `job`'s photo go (photos/YYYY/MM/<file_unique_id>.<ext>, the month in
/// the job's time zone).
Result<std::string> photo_repo_path(const Job& job);

/// Apply `jobs` in order to the files of `source`. Fails only when reading fails.
Result<Plan> make_plan(const std::vector<const Job*>& jobs, FileSource& source, const PlanOptions& options);

} // namespace m2g::commit
