#pragma once
// The git side of the fake GitHub: real bare repositories under DIR/<owner>/<repo>.git, read
// and written with libgit2 the way GitHub's Git Data API would, so what a client did can be
// checked afterwards with the git CLI. Single-threaded (the fake's loop).

#include "common/core/error.hpp"

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <variant>
#include <vector>

struct git_repository;

namespace m2g::fake::github {

/// An API error: HTTP status and GitHub's message.
struct ApiError {
  int status = 404;
  std::string message = "Not Found";
};

template <typename T> using ApiResult = std::variant<T, ApiError>;

class Repos {
public:
  /// libgit2 starts here, with the server: a real GitHub is up before its first request, and
  /// starting it there (~5 ms) put the fake's start-up inside m2g-bench's first commit.
  explicit Repos(std::string root);
  ~Repos();
  Repos(const Repos&) = delete;
  Repos& operator=(const Repos&) = delete;

  /// True when DIR/owner/repo.git is a repository.
  bool exists(const std::string& owner, const std::string& repo);
  /// GET /repos/{o}/{r}
  ApiResult<nlohmann::json> describe(const std::string& owner, const std::string& repo);
  /// GET /repos/{o}/{r}/git/ref/heads/{branch}: the commit the branch points at.
  ApiResult<std::string> ref(const std::string& owner, const std::string& repo, const std::string& branch);
  /// PATCH /repos/{o}/{r}/git/refs/heads/{branch}: fast-forward only unless `force`.
  ApiResult<std::string> update_ref(const std::string& owner, const std::string& repo, const std::string& branch,
                                    const std::string& sha, bool force);
  /// GET /repos/{o}/{r}/git/commits/{sha}
  ApiResult<nlohmann::json> commit(const std::string& owner, const std::string& repo, const std::string& sha);
  /// POST /repos/{o}/{r}/git/blobs: returns the new blob's sha.
  ApiResult<std::string> create_blob(const std::string& owner, const std::string& repo, const std::string& bytes);
  /// POST /repos/{o}/{r}/git/trees with GitHub's body: returns the new tree's sha.
  ApiResult<std::string> create_tree(const std::string& owner, const std::string& repo, const nlohmann::json& body);
  /// POST /repos/{o}/{r}/git/commits with GitHub's body: returns the new commit's sha.
  ApiResult<std::string> create_commit(const std::string& owner, const std::string& repo, const nlohmann::json& body);
  /// GET /repos/{o}/{r}/contents/{path}?ref=: a file's bytes (`is_dir` false) or a directory
  /// listing as JSON (`is_dir` true).
  struct Content {
    bool is_dir = false;
    std::string bytes;
    std::string sha;
    nlohmann::json listing;
  };
  ApiResult<Content> contents(const std::string& owner, const std::string& repo, const std::string& path,
                              const std::string& ref);

private:
  ApiResult<git_repository*> open(const std::string& owner, const std::string& repo);
  std::string m_root;
  std::map<std::string, git_repository*> m_open;
};

} // namespace m2g::fake::github
