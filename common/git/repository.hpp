#pragma once
// libgit2 behind a narrow interface: a bare clone that m2g-commit fetches into, reads files
// from, writes one commit into and pushes. Every libgit2 error becomes a Result carrying what
// was being done; no libgit2 type leaks out. A Repository belongs to the thread that opened
// it (libgit2 objects are not thread-safe); open one per batch on the worker thread.

#include "common/core/error.hpp"

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

struct git_repository;

namespace m2g::git {

/// Call once before any other function here (cheap and idempotent; thread-safe).
void ensure_init();

/// A 20-byte object id as 40 hex digits ("" for none).
using Oid = std::string;

/// How to authenticate to a remote: a token for HTTPS (sent as the password of user
/// "x-access-token"), the SSH agent for SSH. A refused credential is tried once, never again.
struct Credentials {
  std::optional<std::string> token;
};

/// Who commits.
struct Signature {
  std::string name = "m2g";
  std::string email = "m2g@localhost";
};

/// "Name <email>" as a Signature; fails (64) on anything else.
Result<Signature> parse_signature(std::string_view text);

/// One file of a commit: its path from the root and its bytes.
struct FileWrite {
  std::string path;
  std::string content;
};

/// What a push did: moved the remote's branch, or was refused (the remote moved, a hook or
/// branch protection said no; `reason` says which).
struct PushStatus {
  bool pushed = false;
  std::string reason;
};

/// True when `url` names a repository on this machine (a path or file:// URL).
bool is_local_url(std::string_view url);
/// The path of a local URL (file:// stripped).
std::string local_path(std::string_view url);

class Repository {
public:
  Repository() = default;
  ~Repository();
  Repository(Repository&& other) noexcept : m_repo(std::exchange(other.m_repo, nullptr)) {}
  Repository& operator=(Repository&& other) noexcept;
  Repository(const Repository&) = delete;
  Repository& operator=(const Repository&) = delete;

  /// Open the repository at `path`.
  static Result<Repository> open(const std::string& path);
  /// Make a bare clone of `url` at `path` (which must not exist). An empty remote is fine.
  static Result<Repository> clone_bare(const std::string& url, const std::string& path, const Credentials& credentials);
  /// Create an empty bare repository at `path` (for tests and fakes).
  static Result<Repository> init_bare(const std::string& path, const std::string& initial_branch = "main");

  /// Fetch every branch of "origin" into refs/remotes/origin/*.
  Result<void> fetch(const Credentials& credentials);
  /// The commit a reference points at (peeled), nullopt when the reference does not exist.
  Result<std::optional<Oid>> resolve(const std::string& ref_name);
  /// The branch HEAD names ("main" for refs/heads/main), "" when HEAD is detached or unusual.
  std::string head_branch();
  /// Point `ref_name` at `commit`, whatever it pointed at before.
  Result<void> set_ref(const std::string& ref_name, const Oid& commit);
  /// The URL of remote "origin".
  Result<std::string> origin_url();
  /// Point remote "origin" at `url`.
  Result<void> set_origin_url(const std::string& url);

  /// Bytes of `path` in `commit`'s tree; nullopt when the path is absent (or not a file).
  Result<std::optional<std::string>> read_file(const Oid& commit, const std::string& path);
  /// True when `path` exists in `commit`'s tree.
  Result<bool> has_path(const Oid& commit, const std::string& path);
  /// Write a commit on top of `parent` (none: a root commit) with `files` changed or added;
  /// returns its id. No reference moves.
  Result<Oid> commit_files(const std::optional<Oid>& parent, const std::vector<FileWrite>& files,
                           const Signature& author, const std::string& message);
  /// Point refs/heads/`branch` of `url` at `commit`, only if it still points at `expected`
  /// (none: the branch must not exist yet). A remote that moved answers `rejected`.
  Result<PushStatus> push(const std::string& url, const Oid& commit, const std::string& branch,
                          const std::optional<Oid>& expected, const Credentials& credentials);

  git_repository* raw() { return m_repo; }

private:
  explicit Repository(git_repository* repo) : m_repo(repo) {}
  Result<PushStatus> push_local(const std::string& path, const Oid& commit, const std::string& branch,
                                const std::optional<Oid>& expected);
  Result<PushStatus> push_remote(const std::string& url, const Oid& commit, const std::string& branch,
                                 const Credentials& credentials);

  git_repository* m_repo = nullptr;
};

/// "doing: <libgit2's last error>" as a Failure, with an exit code that tells a retryable
/// failure (75: network) from a refused credential (77) from the rest (70).
Failure last_error(std::string_view doing, int code);

} // namespace m2g::git
