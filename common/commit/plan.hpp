#pragma once
// The heart of a batch, independent of any backend: given the files of the base commit, what
// each job of the batch writes, which jobs are duplicates, and the one commit's message. The
// git and GitHub backends differ only in where files are read from and how the result is
// committed, so a push that loses a race simply plans the same jobs again on the new tip.

#include "common/commit/job.hpp"
#include "common/core/error.hpp"

#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace m2g::commit {

/// The bytes of a file, shared: a notebook grows to megabytes, and a cache of it need not be
/// copied for a plan to read it.
using FileBytes = std::shared_ptr<const std::string>;

/// What a path is in the commit a batch builds on.
enum class PathKind {
  absent,
  file,
  folder, ///< or anything else a file cannot replace (a submodule)
};

/// The files of the commit a batch builds on.
class FileSource {
public:
  virtual ~FileSource() = default;
  /// The bytes of `path`, nullptr when it is not a file. A failure fails the batch.
  virtual Result<FileBytes> read(const std::string& path) = 0;
  /// What `path` is: photos are not written twice, and a new file is never planned where a
  /// folder is, nor inside a file (a tree the remote would refuse, with the whole batch).
  virtual Result<PathKind> kind(const std::string& path) = 0;
};

/// What became of one job.
enum class Outcome {
  written,   ///< its change is in the commit
  duplicate, ///< its entry was already in the file
  failed,    ///< it cannot be done (the reason says why); trying again will not help, and the
             ///< rest of the batch is committed without it
  answered,  ///< a listing: its actions carry the answer
};

/// What a result carries besides its outcome; most written entries need none of it.
struct ResultDetails {
  std::string title; ///< when it is not the job's own title
  std::string reason;
  std::vector<nlohmann::json> actions;
  nlohmann::json extra; ///< fields added to the result line (null: none)
};

/// What became of one job (in the job's file). A batch keeps one per job until its push is
/// done, so the common case, an entry titled as its job says, is an outcome and a flag.
struct JobResult {
  Outcome outcome = Outcome::written;
  bool own_title = false; ///< the title is the job's own title()
  Boxed<ResultDetails> details;

  /// The entry's title ("" for none).
  std::string_view title(const Job& job) const {
    return own_title ? job.title() : details ? std::string_view(details->title) : std::string_view();
  }
  const std::string& reason() const;
  /// The details, made when missing.
  ResultDetails& fill();
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

/// Apply `jobs` in order to the files of `source`. Fails only when reading fails. A job whose
/// new file cannot be made in the tree (its name goes through a file, or names a folder, of
/// `source` or of an earlier job of the batch) fails alone, with the reason.
Result<Plan> make_plan(const std::vector<const Job*>& jobs, FileSource& source, const PlanOptions& options);

} // namespace m2g::commit
